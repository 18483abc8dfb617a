import type { ToolchainUse } from "../workspace/toolchain/check-declared.ts";

/**
 * One line naming the toolchains setup and the tests ran with, and why those: shown in the check
 * run and in the PR body, so a reviewer knows which Node.js or Python the test evidence came from.
 */
export function renderToolchains(used: readonly ToolchainUse[]): string | undefined {
  if (used.length === 0) return undefined;
  const listed = used.map((tool) => `${tool.name} ${tool.version} (${tool.reason})`).join(", ");
  return `🔧 Toolchains for setup and tests: ${listed}.`;
}
