import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { ConfigError } from "../../src/errors.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { chooseSandbox } from "../../src/sandbox/choose-sandbox.ts";

const missing = {
  available: false as const,
  reason: "bubblewrap (`bwrap`) is not installed on the app host",
};
const options = (raw: object) => {
  const config = parseAgentConfig(raw);
  return { workspace: "/tmp/w", scratch: "/tmp/s", config, policy: new PathPolicy(config.paths) };
};

describe("chooseSandbox", () => {
  it("uses bubblewrap when it works", async () => {
    expect((await chooseSandbox(options({}), { available: true })).isolated).toBe(true);
  });

  it("refuses to run commands without bubblewrap, saying how to fix it", async () => {
    const attempt = chooseSandbox(options({}), missing);
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(chooseSandbox(options({}), missing)).rejects.toMatchObject({
      message:
        "The agent's commands cannot run safely: bubblewrap (`bwrap`) is not installed on the app host.",
      hint: expect.stringContaining("apt-get install bubblewrap"),
    });
  });

  it("runs unsandboxed only when the repository opted in", async () => {
    const sandbox = await chooseSandbox(options({ sandbox: { allow_unsandboxed: true } }), missing);
    expect(sandbox.isolated).toBe(false);
  });
});
