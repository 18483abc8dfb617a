import { createRequire } from "node:module";
import type { countTokens as CountTokensFunction } from "gpt-tokenizer/encoding/o200k_base";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { LimitsExceeded } from "../errors.ts";

type CountTokens = typeof CountTokensFunction;
let loadedCounter: CountTokens | undefined;

/**
 * The tokenizer, loaded the first time a count is needed: most conversations stay under the byte
 * bound (see tokensAtMost) and never need one. Its tables add about 50 MB to the process, and every
 * child process the app starts (git, the sandbox) forks all of it: loaded up front, each spawn held
 * the event loop about twice as long. The price: the first count in a process holds the event
 * loop while the tables load (150-230 ms here), once, instead of at start-up.
 */
function countTokens(...args: Parameters<CountTokens>): number {
  loadedCounter ??= (
    createRequire(import.meta.url)("gpt-tokenizer/encoding/o200k_base") as { countTokens: CountTokens }
  ).countTokens;
  return loadedCounter(...args);
}

/** Tokens a message costs beyond its text (role, separators), as OpenAI's chat format counts them. */
const PER_MESSAGE_TOKENS = 4;
/** The newest tool result is always kept whole: the model is working with it. */
const KEEP_RECENT_TOOL_RESULTS = 1;
/** Tool results shorter than this are not worth replacing. */
const MIN_ELIDED_TOKENS = 200;

/** Tokens of a conversation, counted with a real tokenizer (o200k_base, OpenAI's current models). */
export function conversationTokens(messages: readonly ChatCompletionMessageParam[]): number {
  let total = 0;
  for (const message of messages) total += messageTokens(message);
  return total;
}

/**
 * A measure of a message, taken once per message object: the loop sends the same messages every
 * turn, and a replaced message is a new object, so each is measured once instead of once per turn.
 */
function perMessage(measure: (message: ChatCompletionMessageParam) => number) {
  const known = new WeakMap<ChatCompletionMessageParam, number>();
  return (message: ChatCompletionMessageParam): number => {
    let value = known.get(message);
    if (value === undefined) {
      value = measure(message);
      known.set(message, value);
    }
    return value;
  };
}

const messageTokens = perMessage((message) => tokensOf(textOf(message)) + PER_MESSAGE_TOKENS);

/** Special tokens' names (`<|endoftext|>`) are text here: the tokenizer would throw on them. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * The tokens of a text as the model reads it. An issue or a file can hold a special token's name;
 * the API takes it as ordinary text, and so does this count, rather than failing the job.
 */
function tokensOf(text: string): number {
  return countTokens(text, AS_TEXT);
}

function textOf(message: ChatCompletionMessageParam): string {
  const text = typeof message.content === "string" ? message.content : JSON.stringify(message.content ?? "");
  return message.role === "assistant" && message.tool_calls
    ? text + JSON.stringify(message.tool_calls)
    : text;
}

/**
 * At least the conversation's tokens, without a tokenizer: o200k_base is a byte-level BPE, so no
 * token is shorter than a byte. Under the budget, this bound spares counting (a few milliseconds
 * of the event loop for a first prompt that lists a large repository).
 */
function tokensAtMost(messages: readonly ChatCompletionMessageParam[]): number {
  let total = 0;
  for (const message of messages) total += messageBytes(message);
  return total;
}

const messageBytes = perMessage((message) => Buffer.byteLength(textOf(message)) + PER_MESSAGE_TOKENS);

/**
 * Keeps the conversation under `maxTokens` before it is sent: the oldest tool results (never the
 * newest) are replaced, one by one, by a line that says what was left out and how to see it
 * again. Replaced results stay replaced, so the prefix the provider caches does not change again.
 * `fixedText` travels with every request beside the messages (the tool definitions) and counts
 * against the same budget. Returns how many results were replaced and the tokens (at most that
 * many, when the bytes alone show that the request fits); throws when even replacing cannot make
 * the request fit.
 */
export function fitToContext(
  messages: ChatCompletionMessageParam[],
  maxTokens: number,
  fixedText = "",
): { elided: number; tokens: number } {
  const fixed = measureFixed(fixedText);
  const bound = tokensAtMost(messages) + fixed.bytes;
  if (bound <= maxTokens) return { elided: 0, tokens: bound };
  let tokens = conversationTokens(messages) + fixed.tokens();
  let elided = 0;
  if (tokens <= maxTokens) return { elided, tokens };
  const toolIndexes = messages.flatMap((message, index) => (message.role === "tool" ? [index] : []));
  const candidates = toolIndexes.slice(0, Math.max(0, toolIndexes.length - KEEP_RECENT_TOOL_RESULTS));
  const names = toolNames(messages);
  for (const index of candidates) {
    if (tokens <= maxTokens) break;
    const message = messages[index] as Extract<ChatCompletionMessageParam, { role: "tool" }>;
    const before = messageTokens(message);
    if (before < MIN_ELIDED_TOKENS || String(message.content).startsWith("[earlier output")) continue;
    const tool = names.get(message.tool_call_id) ?? "a tool";
    messages[index] = {
      ...message,
      content: `[earlier output of ${tool} left out to stay within the context budget (${before} tokens); run the command or read the file again if you still need it]`,
    };
    tokens += messageTokens(messages[index]!) - before;
    elided += 1;
  }
  if (tokens > maxTokens) {
    throw new LimitsExceeded(
      `The conversation needs ${tokens} tokens even with older tool output left out; the context budget is ${maxTokens}.`,
      "Raise `agent.context_tokens` in .github/agent.yml (up to what the model accepts), or split the issue.",
    );
  }
  return { elided, tokens };
}

/**
 * The text sent with every request beside the messages (the tool definitions): the same text starts
 * every job, so the last one's measures are kept; its tokens are counted only when asked for.
 */
let lastFixed = { text: "", bytes: 0, tokens: (): number => 0 };

function measureFixed(text: string): { bytes: number; tokens: () => number } {
  if (lastFixed.text !== text) {
    let counted: number | undefined;
    lastFixed = { text, bytes: Buffer.byteLength(text), tokens: () => (counted ??= tokensOf(text)) };
  }
  return lastFixed;
}

function toolNames(messages: readonly ChatCompletionMessageParam[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== "assistant") continue;
    for (const call of message.tool_calls ?? [])
      if (call.type === "function") names.set(call.id, call.function.name);
  }
  return names;
}
