import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = new URL("../../", import.meta.url);
const manifest = parse(readFileSync(new URL("app.yml", root), "utf8")) as {
  default_events: string[];
  default_permissions: Record<string, string>;
};
const readme = readFileSync(new URL("README.md", root), "utf8");

/** The rows of the Markdown table whose header row starts with `firstHeader`, as arrays of cells. */
function tableRows(markdown: string, firstHeader: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => new RegExp(`^\\|\\s*${firstHeader}\\s*\\|`).test(line));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim().replace(/^`|`$/g, "")),
    );
  }
  return rows;
}

describe("the README's permissions match app.yml, which registers the app", () => {
  it("lists exactly app.yml's permissions, with the same access", () => {
    const documented = Object.fromEntries(
      tableRows(readme, "Permission").map(([name, access]) => [name, access]),
    );
    expect(Object.keys(documented).length).toBeGreaterThan(3);
    expect(documented).toEqual(manifest.default_permissions);
  });

  it("lists exactly app.yml's events", () => {
    const documented = tableRows(readme, "Event").map(([name]) => name);
    expect(documented.length).toBeGreaterThan(3);
    expect([...documented].sort()).toEqual([...manifest.default_events].sort());
  });
});
