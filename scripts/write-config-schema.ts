// Publishes the `.github/agent.yml` JSON Schema and the generated parts of docs/configuration.md.
// With --check, fails when a committed file is stale.
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { format, resolveConfig } from "prettier";
import { configJsonSchema, renderDefaultsYaml, renderReferenceTables } from "./config-reference.ts";

const schemaFile = new URL("../schema/agent-config.schema.json", import.meta.url);
const referenceFile = new URL("../docs/configuration.md", import.meta.url);

/** Replaces what stands between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
function fill(document: string, name: string, content: string): string {
  const start = `<!-- generated:${name} (npm run schema) -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/configuration.md lacks the markers ${start} … ${end}`);
  return `${document.slice(0, from + start.length)}\n\n${content}\n\n${document.slice(to)}`;
}

async function generatedReference(): Promise<string> {
  const current = await readFile(referenceFile, "utf8");
  let next = fill(current, "reference", renderReferenceTables(configJsonSchema()));
  next = fill(next, "defaults", renderDefaultsYaml());
  // Formatted as `npm run format` would, so `prettier --check` and this check agree.
  const options = await resolveConfig(referenceFile.pathname);
  return format(next, { ...options, filepath: referenceFile.pathname });
}

const outputs: Array<[URL, string, string]> = [
  [schemaFile, "schema/agent-config.schema.json", `${JSON.stringify(configJsonSchema(), null, 2)}\n`],
  [referenceFile, "docs/configuration.md", await generatedReference()],
];

if (process.argv.includes("--check")) {
  let stale = false;
  for (const [file, name, generated] of outputs) {
    const committed = await readFile(file, "utf8").catch(() => "");
    if (committed !== generated) {
      console.error(`${name} is out of date: run \`npm run schema\` and commit it.`);
      stale = true;
    }
  }
  if (stale) process.exit(1);
} else {
  for (const [file, name, generated] of outputs) {
    await mkdir(new URL(".", file), { recursive: true });
    await writeFile(file, generated);
    console.log(`wrote ${name}`);
  }
}
