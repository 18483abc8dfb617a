import type { Sandbox } from "../../sandbox/sandbox.ts";
import { versionIn } from "./match-version.ts";
import type { DeclaredToolchains, Language } from "./read-declared-toolchains.ts";

/** Per language asked: the version the sandbox's command reports, or null when it has none. */
export type Probed = Partial<Record<Language, string | null>>;

/** The command that names each toolchain's version, and the root files that show a project uses it. */
const PROBES: Record<Language, { command: string; markers: readonly string[] }> = {
  node: { command: "node --version", markers: ["package.json"] },
  python: {
    command: "python3 --version",
    markers: ["pyproject.toml", "requirements.txt", "setup.py", "uv.lock", "poetry.lock", "Pipfile"],
  },
  go: { command: "go version", markers: ["go.mod"] },
  rust: { command: "rustc --version", markers: ["Cargo.toml"] },
};

/**
 * Asks each toolchain the repository uses or declares for its version, in one sandboxed command
 * with the PATH the job's commands get, so the answer is what setup, tests and the agent will run.
 */
export async function probeToolchains(options: {
  sandbox: Sandbox;
  cwd: string;
  declared: DeclaredToolchains;
  rootFiles: ReadonlySet<string>;
  signal?: AbortSignal;
}): Promise<Probed> {
  const languages = (Object.keys(PROBES) as Language[]).filter(
    (language) =>
      options.declared[language] || PROBES[language].markers.some((file) => options.rootFiles.has(file)),
  );
  if (languages.length === 0) return {};
  const script = languages
    .map((language) => {
      const { command } = PROBES[language];
      const program = command.split(" ")[0]!;
      return `printf '@@${language} '; command -v ${program} >/dev/null && ${command} 2>&1 | head -n 1; echo`;
    })
    .join("\n");
  const result = await options.sandbox.run({
    command: script,
    cwd: options.cwd,
    timeoutMs: 60_000,
    maxOutputBytes: 16 * 1024,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const probed: Probed = {};
  for (const language of languages) {
    const line = new RegExp(`^@@${language} (.*)$`, "m").exec(result.output)?.[1] ?? "";
    probed[language] = versionIn(line) ?? null;
  }
  return probed;
}
