import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = new URL("../../", import.meta.url);
const compose = parse(readFileSync(new URL("compose.yml", root), "utf8"), { merge: true }) as {
  services: Record<string, Record<string, any>>;
  secrets: Record<string, { file: string }>;
};
const scripts = JSON.parse(readFileSync(new URL("package.json", root), "utf8")).scripts as Record<
  string,
  string
>;
const deployment = readFileSync(new URL("docs/deployment.md", root), "utf8");
const BUBBLEWRAP_FLAGS = ["seccomp=unconfined", "apparmor=unconfined", "systempaths=unconfined"];

describe("compose.yml", () => {
  it("runs the receiver and the worker with the commands of `npm start` and `npm run worker`", () => {
    expect(compose.services.receiver!.command.join(" ")).toBe(scripts.start);
    expect(compose.services.worker!.command.join(" ")).toBe(scripts.worker);
  });

  it("connects both to its Redis, and waits for it", () => {
    expect(compose.services.redis!.image).toMatch(/^redis:/);
    for (const name of ["receiver", "worker"]) {
      const service = compose.services[name]!;
      expect(service.environment.REDIS_URL).toBe("redis://redis:6379");
      expect(service.depends_on.redis.condition).toBe("service_healthy");
    }
  });

  it("gives both the private key as a mounted file and what bubblewrap needs", () => {
    for (const name of ["receiver", "worker"]) {
      const service = compose.services[name]!;
      const [secret] = service.secrets;
      expect(compose.secrets[secret]).toBeDefined();
      expect(service.environment.PRIVATE_KEY_PATH).toBe(`/run/secrets/${secret}`);
      expect(service.security_opt).toEqual(BUBBLEWRAP_FLAGS);
    }
  });

  it("uses the same bubblewrap flags as the documented docker run", () => {
    const run = deployment.slice(deployment.indexOf("docker run -d"));
    for (const flag of BUBBLEWRAP_FLAGS) expect(run).toContain(`--security-opt ${flag}`);
  });
});
