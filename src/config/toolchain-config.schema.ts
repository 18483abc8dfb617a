import { z } from "zod";

/** A version as people write one: digits, dots, range operators, `lts/*` — never shell text. */
const versionText = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w.*+^~<>=|/ -]+$/, "expected a version or a version range, e.g. `22`, `>=20`, `lts/*`");

/**
 * `toolchain:` in `.github/agent.yml`: versions pinned explicitly, winning over what the
 * repository's own files declare (`.nvmrc`, `.python-version`, `go.mod`, `rust-toolchain.toml`).
 */
export const toolchainConfigSchema = z
  .strictObject({
    node: versionText
      .optional()
      .describe(
        "Node.js version or range for setup, tests and the agent's commands, e.g. `22`, `^20.11`, `lts/*`. Provisioned from the npm registry when the app's own Node.js does not satisfy it. Without it: `.nvmrc`, `.node-version`, then `engines.node` in package.json.",
      ),
    python: versionText
      .optional()
      .describe(
        "Python version the repository needs, e.g. `3.11`; the app's image must provide it (`python3`). Without it: `.python-version`.",
      ),
    go: versionText
      .optional()
      .describe(
        "Go version the repository needs, e.g. `1.22`; the app's image must provide it (a newer go also serves). Without it: go.mod's `toolchain`/`go` line.",
      ),
    rust: versionText
      .optional()
      .describe(
        "Rust version the repository needs, e.g. `1.75` or `stable`; the app's image must provide it (a newer rustc also serves). Without it: `rust-toolchain.toml` or `rust-toolchain`.",
      ),
  })
  .prefault({})
  .describe(
    "Toolchain versions for setup, tests and the agent's commands, pinned explicitly. Each wins over what the repository's files declare; a version the app cannot provide stops the job before any model call.",
  );

export type ToolchainConfig = z.infer<typeof toolchainConfigSchema>;
