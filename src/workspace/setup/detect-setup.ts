/** The commands that prepare a workspace, and where they came from (shown in the check run). */
export interface SetupPlan {
  commands: string[];
  /** "`.github/agent.yml`", or the lockfiles the commands were detected from. */
  source: string;
}

interface Detector {
  /** Any of these files at the repository root selects the detector; the first one found is named. */
  lockfiles: readonly string[];
  command: (present: ReadonlySet<string>) => string;
}

/**
 * One install command per ecosystem, chosen by lockfile, each the ecosystem's "install exactly what
 * the lockfile says" form: a setup must never rewrite the lockfile, or its change would end up in
 * the pull request. Package managers that do not ship with Node (pnpm, yarn) run through corepack.
 * Order matters only within an ecosystem: a repository with both pnpm-lock.yaml and
 * package-lock.json is installed once, with pnpm.
 */
const DETECTORS: ReadonlyArray<{ ecosystem: string; detectors: readonly Detector[] }> = [
  {
    ecosystem: "node",
    detectors: [
      { lockfiles: ["pnpm-lock.yaml"], command: () => "corepack pnpm install --frozen-lockfile" },
      {
        lockfiles: ["yarn.lock"],
        // Yarn 2+ (a .yarnrc.yml) spells "frozen" differently from Yarn 1.
        command: (present) =>
          present.has(".yarnrc.yml")
            ? "corepack yarn install --immutable"
            : "corepack yarn install --frozen-lockfile",
      },
      {
        lockfiles: ["package-lock.json", "npm-shrinkwrap.json"],
        command: () => "npm ci --no-audit --no-fund",
      },
    ],
  },
  {
    ecosystem: "python",
    detectors: [
      { lockfiles: ["uv.lock"], command: () => "uv sync --frozen" },
      { lockfiles: ["poetry.lock"], command: () => "poetry install --no-interaction --no-root" },
      {
        lockfiles: ["requirements.txt"],
        command: () =>
          "python3 -m venv .venv && .venv/bin/python -m pip install --disable-pip-version-check -r requirements.txt",
      },
    ],
  },
  { ecosystem: "rust", detectors: [{ lockfiles: ["Cargo.lock"], command: () => "cargo fetch --locked" }] },
  { ecosystem: "go", detectors: [{ lockfiles: ["go.sum", "go.mod"], command: () => "go mod download" }] },
];

/**
 * The setup for a repository: the configured commands when there are any (an empty list means
 * none), otherwise one detected from the lockfiles at its root. Pure: it sees only file names.
 */
export function planSetup(configured: readonly string[] | undefined, rootFiles: Iterable<string>): SetupPlan {
  if (configured) return { commands: [...configured], source: "`.github/agent.yml`" };
  const present = new Set(rootFiles);
  const commands: string[] = [];
  const found: string[] = [];
  for (const { detectors } of DETECTORS) {
    for (const detector of detectors) {
      const lockfile = detector.lockfiles.find((file) => present.has(file));
      if (!lockfile) continue;
      commands.push(detector.command(present));
      found.push(`\`${lockfile}\``);
      break;
    }
  }
  return { commands, source: found.length ? `detected from ${found.join(", ")}` : "no lockfile found" };
}
