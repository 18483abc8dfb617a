import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { intendedLabel, loadRepoConfig } from "../../src/config/load-repo-config.ts";
import { ConfigError } from "../../src/errors.ts";
import { githubRepositories } from "../../src/forge/github-repository-forge.ts";
import { SecretRedactor } from "../../src/security/secret-redactor.ts";
import { LogCapture, testProbot } from "../helpers/test-probot.ts";

const API = "https://api.github.com";
const OWN = "/repos/octo/repo/contents/.github%2Fagent.yml";
const OWNER_DEFAULTS = "/repos/octo/.github/contents/.github%2Fagent.yml";
const yaml = (text: string) => [200, text, { "content-type": "text/plain; charset=utf-8" }] as const;
const notFound = [404, { message: "Not Found" }] as const;

/** `.github/agent.yml` as the intake reads it, through the app's GitHub repository port. */
async function readConfig(repo = "repo") {
  nock(API)
    .post("/app/installations/1/access_tokens")
    .reply(201, { token: "ghs_test", expires_at: new Date(Date.now() + 3_600_000).toISOString() });
  const probot = testProbot(new LogCapture());
  const repository = await githubRepositories(
    { auth: () => probot.auth(1) },
    new SecretRedactor(),
  )({ installationId: 1, owner: "octo", repo });
  return repository.loadConfig();
}

// Unit files share their workers: what this file tells nock must not outlive it.
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("reading .github/agent.yml", () => {
  it("takes the owner's defaults when the repository has none, asking for both at once", async () => {
    const asked: string[] = [];
    nock(API)
      .get(OWN)
      .delay(150)
      .reply(() => (asked.push("own"), notFound));
    nock(API)
      .get(OWNER_DEFAULTS)
      .reply(() => (asked.push("owner's defaults"), yaml("trigger:\n  label: robot\n")));
    expect(await readConfig()).toEqual({ trigger: { label: "robot" } });
    // The owner's file was asked for while the repository's answer was still on its way.
    expect(asked).toEqual(["owner's defaults", "own"]);
  });

  it("takes the repository's own file over the owner's defaults", async () => {
    const scope = nock(API)
      .get(OWN)
      .reply(...yaml("trigger:\n  label: mine\n"))
      .get(OWNER_DEFAULTS)
      .reply(...yaml("trigger:\n  label: theirs\n"));
    expect(await readConfig()).toEqual({ trigger: { label: "mine" } });
    expect(scope.pendingMocks()).toEqual([]);
  });

  it("follows `_extends` from the owner's defaults, as Probot does", async () => {
    nock(API)
      .get(OWN)
      .reply(...notFound)
      .get(OWNER_DEFAULTS)
      .reply(...yaml("_extends: shared\ngates:\n  max_diff_lines: 100\n"))
      .get("/repos/octo/shared/contents/.github%2Fagent.yml")
      .reply(...yaml("trigger:\n  label: robot\ngates:\n  max_diff_lines: 900\n"));
    expect(await readConfig()).toEqual({ trigger: { label: "robot" }, gates: { max_diff_lines: 100 } });
  });

  it("lets a repository's own file start from the owner's defaults with `_extends: .github`", async () => {
    const scope = nock(API)
      .get(OWN)
      .reply(...yaml("_extends: .github\ngates:\n  max_diff_lines: 100\n"))
      .get(OWNER_DEFAULTS)
      .once()
      .reply(...yaml("trigger:\n  label: robot\ngates:\n  max_diff_lines: 900\n"));
    expect(await readConfig()).toEqual({ trigger: { label: "robot" }, gates: { max_diff_lines: 100 } });
    expect(scope.pendingMocks()).toEqual([]);
  });

  it("takes the repository's own file when the owner's defaults cannot be read", async () => {
    nock(API)
      .get(OWN)
      .reply(...yaml("trigger:\n  label: mine\n"))
      .get(OWNER_DEFAULTS)
      .reply(500, { message: "Server Error" });
    expect(await readConfig()).toEqual({ trigger: { label: "mine" } });
  });

  it("refuses an `_extends` base the app cannot read, naming it, instead of going on without it", async () => {
    nock(API)
      .get(OWN)
      .reply(...yaml("_extends: shared\ntrigger:\n  label: ai\n"))
      .get(OWNER_DEFAULTS)
      .reply(...notFound)
      .get("/repos/octo/shared/contents/.github%2Fagent.yml")
      .reply(...notFound);
    const error = await readConfig().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      "`_extends` in octo/repo's `.github/agent.yml` names `.github/agent.yml` in octo/shared, which does not exist or which the app cannot read.",
    );
    // As the intake shows it on the issue: this message, not a YAML hint.
    const loaded = await loadRepoConfig(() => Promise.reject(error));
    expect(loaded).toMatchObject({ ok: false, error: { message: (error as ConfigError).message } });
    expect((loaded as { error: ConfigError }).error.hint).toContain("install the app on octo/shared");
    // The repository's own label still tells whether a labelling was meant for the app, and so
    // whether the error is answered on the issue.
    expect(intendedLabel((loaded as { raw: unknown }).raw)).toBe("ai");
  });

  /** What the intake does with a file that cannot be used: its message, hint and intended label. */
  async function refusal() {
    const error = await readConfig().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const loaded = (await loadRepoConfig(() => Promise.reject(error))) as {
      ok: false;
      error: ConfigError;
      raw: unknown;
    };
    return { message: loaded.error.message, hint: loaded.error.hint, label: intendedLabel(loaded.raw) };
  }

  it("says where a file that is not YAML breaks, and keeps the label the repository meant", async () => {
    nock(API)
      .get(OWN)
      .reply(...yaml("trigger:\n  label: robot\nagent:\n\tmax_steps: 3\n"))
      .get(OWNER_DEFAULTS)
      .reply(...notFound);
    expect(await refusal()).toEqual({
      message:
        "`.github/agent.yml` is not valid YAML: Tabs are not allowed as indentation at line 4, column 1.",
      hint: "Fix the file on the default branch, then label the issue again or comment `/agent`.",
      label: "robot",
    });
  });

  it("names the owner's defaults when they are what is not YAML", async () => {
    nock(API)
      .get(OWN)
      .reply(...notFound)
      .get(OWNER_DEFAULTS)
      .reply(...yaml("agent:\n  max_steps: [1\ngates: x\n"));
    expect((await refusal()).message).toMatch(
      /^`\.github\/agent\.yml` in octo\/\.github is not valid YAML: Flow sequence .* at line 3, column 1\.$/,
    );
  });

  it("says an alias bomb was refused, not that the syntax is wrong", async () => {
    const bomb = ["a: &a [x,x,x,x,x,x,x,x,x,x]", "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]"]
      .concat(Array.from({ length: 12 }, (_, i) => `c${i}: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]`))
      .join("\n");
    nock(API)
      .get(OWN)
      .reply(...yaml(bomb))
      .get(OWNER_DEFAULTS)
      .reply(...notFound);
    const { message, label } = await refusal();
    expect(message).toContain("is not valid YAML: Excessive alias count");
    expect(label).toBe("agent");
  });

  it("is null when neither the repository nor its owner has one", async () => {
    nock(API)
      .get(OWN)
      .reply(...notFound)
      .get(OWNER_DEFAULTS)
      .reply(...notFound);
    expect(await readConfig()).toBeNull();
  });

  it("asks only once for the `.github` repository's own file", async () => {
    const scope = nock(API)
      .get(OWNER_DEFAULTS)
      .once()
      .reply(...yaml("trigger:\n  label: robot\n"));
    expect(await readConfig(".github")).toEqual({ trigger: { label: "robot" } });
    expect(scope.pendingMocks()).toEqual([]);
  });
});
