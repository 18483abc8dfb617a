import { createHash } from "node:crypto";
import picomatch from "picomatch";

export interface PathRules {
  write: readonly string[];
  read_only: readonly string[];
  forbidden: readonly string[];
  require_review: readonly string[];
}

/**
 * Files that always need a human: dependency manifests and lockfiles (supply chain) and CI
 * configuration (it runs with the repository's secrets). GitHub workflows are refused outright.
 */
const ALWAYS_REVIEW: ReadonlyArray<{ glob: string; reason: string }> = [
  ...[
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "requirements*.txt",
    "pyproject.toml",
    "poetry.lock",
    "Pipfile",
    "Pipfile.lock",
    "uv.lock",
    "setup.py",
    "setup.cfg",
    "Cargo.toml",
    "Cargo.lock",
    "go.mod",
    "go.sum",
    "Gemfile",
    "Gemfile.lock",
    "composer.json",
    "composer.lock",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "*.csproj",
    "packages.lock.json",
  ].map((name) => ({ glob: `**/${name}`, reason: "dependency manifest or lockfile" })),
  ...[
    ".github/actions/**",
    ".gitlab-ci.yml",
    ".circleci/**",
    "Jenkinsfile",
    "azure-pipelines.yml",
    ".buildkite/**",
  ].map((glob) => ({ glob, reason: "CI configuration" })),
];

/**
 * GitHub refuses a push that touches `.github/workflows` from an app without the `workflows`
 * permission, and issue-agent does not ask for it (a workflow runs with the repository's secrets).
 * So the agent may not change them at all: refused where it writes, and at the paths gate.
 */
const WORKFLOWS = picomatch(".github/workflows/**", { dot: true, nocase: true });
const WORKFLOW_REASON =
  "a GitHub Actions workflow, which this app may not push (it has no `workflows` permission, so GitHub would reject the push); describe the workflow change in your summary for a maintainer to make";

export type PathAccess = "write" | "read" | "none";

/**
 * How forbidden rules match, for forbiddenKey: to be changed whenever a rule may come to forbid
 * files it did not. 2: a rule that names a directory forbids every file in it.
 */
const FORBIDDEN_MATCHING = "matching-2";

/** Decides what the agent may do with a path (relative to the workspace root, `/`-separated). */
export class PathPolicy {
  private readonly writable: picomatch.Matcher;
  private readonly readOnly: picomatch.Matcher;
  private readonly forbidden: picomatch.Matcher;
  private readonly review: Array<{ matches: picomatch.Matcher; dirs: Map<string, boolean>; reason: string }>;
  /** Directories already judged, by rule list: a repository's files share few directories. */
  private readonly forbiddenDirs = new Map<string, boolean>();
  private readonly readOnlyDirs = new Map<string, boolean>();
  /** Names the forbidden rules: policies with the same key forbid the same files. */
  readonly forbiddenKey: string;

  constructor(rules: PathRules) {
    // With the version of how rules match: the git view's stores outlive the app's upgrades, and a
    // store made when a rule forbade less must not serve a policy that forbids more.
    this.forbiddenKey = createHash("sha256")
      .update(JSON.stringify([FORBIDDEN_MATCHING, ...[...rules.forbidden].sort()]))
      .digest("hex")
      .slice(0, 16);
    const compile = (globs: readonly string[]) => picomatch([...globs], { dot: true });
    // Rules that take something away match in any letter case: `.ENV` is `.env` on a
    // case-insensitive file system, and a key file is a key file whatever its case. Only the
    // writable list, which grants, keeps its exact case. `secrets/` (as in a .gitignore) is the
    // directory `secrets`.
    const compileStrict = (globs: readonly string[]) =>
      picomatch(
        globs.map((glob) => glob.replace(/(.)\/+$/, "$1")),
        { dot: true, nocase: true },
      );
    this.writable = compile(rules.write);
    this.readOnly = compileStrict(rules.read_only);
    this.forbidden = compileStrict(rules.forbidden);
    this.review = [
      ...ALWAYS_REVIEW,
      ...rules.require_review.map((glob) => ({ glob, reason: `paths.require_review: ${glob}` })),
    ].map(({ glob, reason }) => ({ matches: compileStrict([glob]), dirs: new Map(), reason }));
  }

  /**
   * Whether the path, or a directory it is in, matches a forbidden rule: a rule that names a
   * directory (`secrets`) takes everything in it, as the sandbox hides that directory whole. The
   * file tools and the sandbox's git view ask about files, and must agree with it.
   */
  isForbidden(relativePath: string): boolean {
    return matchesOrIsUnder(this.forbidden, this.forbiddenDirs, relativePath);
  }

  /** Whether the path, or a directory it is in, matches a read-only rule (see isForbidden). */
  isReadOnly(relativePath: string): boolean {
    return matchesOrIsUnder(this.readOnly, this.readOnlyDirs, relativePath);
  }

  access(relativePath: string): PathAccess {
    if (this.isForbidden(relativePath)) return "none";
    if (this.isReadOnly(relativePath) || !this.writable(relativePath)) return "read";
    return "write";
  }

  /**
   * Why a change to this path needs human review, if it does. A rule that names a directory
   * (`db/migrations`, `schema/`) takes every file in it, as the forbidden and read-only rules do.
   */
  reviewReason(relativePath: string): string | undefined {
    return this.review.find((entry) => matchesOrIsUnder(entry.matches, entry.dirs, relativePath))?.reason;
  }

  /** Why a change to this path breaks the rules, if it does. */
  writeViolation(relativePath: string): string | undefined {
    if (this.isForbidden(relativePath)) return "forbidden (paths.forbidden)";
    if (WORKFLOWS(relativePath)) return WORKFLOW_REASON;
    if (this.isReadOnly(relativePath)) return "read-only (paths.read_only)";
    if (!this.writable(relativePath)) return "outside the writable paths (paths.write)";
    return undefined;
  }
}

/** The workspace-relative directory a path is in; "" (the workspace, never judged) at the top. */
export const parentOf = (relative: string) => relative.slice(0, Math.max(0, relative.lastIndexOf("/")));

/** `relativePath` or one of its directories matches; the directories' verdicts are remembered. */
function matchesOrIsUnder(
  matches: picomatch.Matcher,
  dirs: Map<string, boolean>,
  relativePath: string,
): boolean {
  if (relativePath === "") return false;
  if (matches(relativePath)) return true;
  const dir = parentOf(relativePath);
  if (dir === "") return false;
  let verdict = dirs.get(dir);
  if (verdict === undefined) {
    verdict = matchesOrIsUnder(matches, dirs, dir);
    dirs.set(dir, verdict);
  }
  return verdict;
}
