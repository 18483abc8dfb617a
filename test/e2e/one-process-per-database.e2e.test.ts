import { describe, expect, it } from "vitest";
import { appCheckouts, freePort, waitForOutput } from "../helpers/app-checkout.ts";
import { PRIVATE_KEY } from "../helpers/test-probot.ts";

const checkoutWith = appCheckouts();

describe("two `npm start` processes on one SQLite file", () => {
  it("the second refuses to start and names the first", { timeout: 120_000 }, async () => {
    const checkout = checkoutWith({ APP_ID: "4321", PRIVATE_KEY, WEBHOOK_SECRET: "s" });
    const start = async () =>
      checkout.npm(["start"], {
        PORT: String(await freePort()),
        // The start-up probe of GitHub finds nothing there, without leaving the machine.
        GHE_HOST: "127.0.0.1:9",
        GHE_PROTOCOL: "http",
      });
    const first = await start();
    await waitForOutput(first, "Listening on");

    const second = await start();
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toContain(`issue-agent cannot start: Another issue-agent process (pid `);
    expect(second.output()).toMatch(/is using \.issue-agent\/state\.db \(last seen \d+ s ago\)/);
    expect(second.output()).toContain("give this one its own ISSUE_AGENT_DB");
    expect(second.output()).not.toContain("Listening on");
    expect(first.child.exitCode).toBeNull();
  });
});
