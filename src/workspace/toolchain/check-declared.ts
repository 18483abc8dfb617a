import semver from "semver";
import { namesPythonVersion, servesDeclared } from "./match-version.ts";
import { nodeRange } from "./node-version-range.ts";
import type { Probed } from "./probe-toolchains.ts";
import type { DeclaredToolchains, Language } from "./read-declared-toolchains.ts";

/** One toolchain the job's setup and tests run with, as the check run and the PR body name it. */
export interface ToolchainUse {
  name: string;
  version: string;
  /** Why this one: "`.nvmrc` says `22`", or "none declared". */
  reason: string;
}

const NAMES: Record<Language, string> = { node: "Node.js", python: "Python", go: "Go", rust: "Rust" };
const COMMANDS: Record<Language, string> = { node: "node", python: "python3", go: "go", rust: "rustc" };

/**
 * The toolchains in use, and every declared version the sandbox does not serve — a missing
 * toolchain, or one of the wrong version. Pure.
 */
export function checkDeclared(
  declared: DeclaredToolchains,
  probed: Probed,
): { used: ToolchainUse[]; problems: string[] } {
  const used: ToolchainUse[] = [];
  const problems: string[] = [];
  for (const language of Object.keys(NAMES) as Language[]) {
    const found = probed[language];
    if (found === undefined) continue;
    const wanted = declared[language];
    const name = NAMES[language];
    if (found === null) {
      if (wanted)
        problems.push(
          `${wanted.source} asks for ${name} \`${wanted.version}\`, but the sandbox has no \`${COMMANDS[language]}\`.`,
        );
      continue;
    }
    if (wanted && !serves(language, wanted.version, found)) {
      problems.push(
        `${wanted.source} asks for ${name} \`${wanted.version}\`, but the sandbox has ${name} ${found} (\`${COMMANDS[language]}\`).`,
      );
      continue;
    }
    used.push({ name, version: found, reason: reasonFor(language, wanted) });
  }
  if (declared.packageManager) used.push(packageManagerUse(declared.packageManager));
  return { used, problems };
}

function reasonFor(language: Language, wanted: DeclaredToolchains[Language]): string {
  if (!wanted) return "none declared";
  if (language === "python" && !namesPythonVersion(wanted.version) && wanted.version !== "system")
    return `${wanted.source} names the virtualenv \`${wanted.version}\`, not a version: not checked`;
  return `${wanted.source} says \`${wanted.version}\``;
}

/** corepack provides pnpm and yarn at the declared version; npm is the one beside the Node.js in use. */
function packageManagerUse({ name, version, source }: NonNullable<DeclaredToolchains["packageManager"]>) {
  return name === "npm"
    ? {
        name,
        version: "beside Node.js",
        reason: `${source} asks for \`${version}\`, which is not switched`,
      }
    : { name, version, reason: `${source}, through corepack` };
}

function serves(language: Language, wanted: string, found: string): boolean {
  if (language !== "node") return servesDeclared(language, wanted, found);
  const range = nodeRange(wanted);
  return range.kind !== "range" || semver.satisfies(found, range.range);
}
