// Publishes the `.github/agent.yml` JSON Schema. With --check, fails when the committed file is stale.
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { z } from "zod";
import { agentConfigSchema } from "../src/config/agent-config.schema.ts";

const target = new URL("../schema/agent-config.schema.json", import.meta.url);
const generated = `${JSON.stringify(z.toJSONSchema(agentConfigSchema, { io: "input" }), null, 2)}\n`;

if (process.argv.includes("--check")) {
  const committed = await readFile(target, "utf8").catch(() => "");
  if (committed !== generated) {
    console.error("schema/agent-config.schema.json is out of date: run `npm run schema` and commit it.");
    process.exit(1);
  }
} else {
  await mkdir(new URL(".", target), { recursive: true });
  await writeFile(target, generated);
  console.log("wrote schema/agent-config.schema.json");
}
