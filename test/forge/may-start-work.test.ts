import { describe, expect, it } from "vitest";
import { mayStartWork } from "../../src/forge/may-start-work.ts";

describe("mayStartWork", () => {
  it.each([
    [{ permission: "admin", role_name: "admin" }, true],
    [{ permission: "write", role_name: "maintain" }, true],
    [{ permission: "write", role_name: "write" }, true],
    [{ permission: "write", role_name: "custom-role" }, true],
    [{ permission: "read", role_name: "triage" }, false],
    [{ permission: "read", role_name: "read" }, false],
    [{ permission: "none", role_name: "none" }, false],
    [{}, false],
    [undefined, false],
  ])("%j → %s", (permission, allowed) => {
    expect(mayStartWork(permission)).toBe(allowed);
  });
});
