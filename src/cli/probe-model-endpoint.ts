import { CannotStart } from "./cannot-start.ts";

/** Where the OpenAI SDK sends requests when OPENAI_BASE_URL is not set. */
export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Asks the model endpoint for its model list, which costs nothing, so that a server that is down,
 * a wrong URL or a refused key is reported before the clone and the setup, not minutes later at
 * the first model call. Any other answer, even an error status, means the server is there.
 */
export async function probeModelEndpoint(options: {
  baseURL: string | undefined;
  apiKey: string | undefined;
  timeoutMs?: number;
}): Promise<void> {
  const base = (options.baseURL ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(`${base}/models`, {
      headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
  } catch (error) {
    throw new CannotStart(
      `the model endpoint ${base} does not answer (${causeOf(error, timeoutMs)}); check OPENAI_BASE_URL`,
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new CannotStart(
      `the model endpoint ${base} refused OPENAI_API_KEY (HTTP ${response.status}); check the key`,
    );
  }
}

function causeOf(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
