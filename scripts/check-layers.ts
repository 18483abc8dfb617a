// Lists every import in src/ that points up the layers docs/architecture.md names (an import may
// only point down the list, or stay in its layer). Exits 1 when there is one.
// Usage: node scripts/check-layers.ts
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Top to bottom; a room not listed is not judged. */
const LAYERS: string[][] = [
  ["main", "worker", "app", "wiring", "cli", "server", "web"],
  ["triggers"],
  ["pipeline", "merge"],
  ["agent"],
  ["gates"],
  ["publish"],
  ["report"],
  ["jobs"],
  ["workspace"],
  ["guardrails", "sandbox"],
  ["forge", "config", "errors", "log", "format-duration", "format-count", "succeeded", "parsing", "git"],
];

const rank = (room: string) => LAYERS.findIndex((layer) => layer.includes(room));
const roomOf = (file: string) => path.relative("src", file).split(path.sep)[0]!.replace(/\.ts$/, "");

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.name.endsWith(".ts")) yield full;
  }
}

const upward: string[] = [];
for (const file of files("src")) {
  const from = roomOf(file);
  for (const match of readFileSync(file, "utf8").matchAll(/from "(\.\.?\/[^"]+)"/g)) {
    const to = roomOf(path.join(path.dirname(file), match[1]!));
    if (to === from || rank(from) === -1 || rank(to) === -1) continue;
    if (rank(to) < rank(from)) upward.push(`${from} → ${to}: ${file} imports ${match[1]}`);
  }
}
console.log(upward.length ? upward.join("\n") : "no upward imports");
process.exitCode = upward.length ? 1 : 0;
