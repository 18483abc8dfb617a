import { afterEach, describe, expect, it } from "vitest";
import {
  freePort,
  killGroup,
  makeCheckout,
  spawnIn,
  waitFor,
  writeProbotDotEnv,
  type Spawned,
} from "../helpers/app-checkout.ts";
import { PRIVATE_KEY } from "../helpers/test-probot.ts";

const started: Spawned[] = [];
let checkout: ReturnType<typeof makeCheckout> | undefined;
afterEach(() => {
  for (const app of started) killGroup(app);
  checkout?.cleanup();
});

describe("two `npm start` processes on one SQLite file", () => {
  it("the second refuses to start and names the first", { timeout: 120_000 }, async () => {
    checkout = makeCheckout();
    writeProbotDotEnv(checkout.dir, { APP_ID: "4321", PRIVATE_KEY, WEBHOOK_SECRET: "s" });
    const start = async () => {
      const app = spawnIn(checkout!.dir, "npm", ["start"], {
        LOG_FORMAT: "json",
        PORT: String(await freePort()),
        // The start-up probe of GitHub finds nothing there, without leaving the machine.
        GHE_HOST: "127.0.0.1:9",
        GHE_PROTOCOL: "http",
      });
      started.push(app);
      return app;
    };
    const first = await start();
    await waitFor(() => first.output().includes("Listening on"), 60_000);

    const second = await start();
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toContain(`issue-agent cannot start: Another issue-agent process (pid `);
    expect(second.output()).toMatch(/is using \.issue-agent\/state\.db \(last seen \d+ s ago\)/);
    expect(second.output()).toContain("give this one its own ISSUE_AGENT_DB");
    expect(second.output()).not.toContain("Listening on");
    expect(first.child.exitCode).toBeNull();
  });
});
