import { describe, expect, it } from "vitest";
import type { GateResult } from "../../src/jobs/run-log.ts";
import { behaviourUnchanged } from "../../src/gates/behaviour-unchanged.ts";
import { testFirstException } from "../../src/report/render-guardrails.ts";

const JS = `// Greets.\nexport function greet(name) {\n  return "Hello, " + name;\n}\nconst re = /a+b/;\n`;
const PY = `def greet(name):\n    """Greets."""\n    if name:\n        print(name)\n    return "Hi " + name\n`;

async function verdict(path: string, before: string | undefined, after: string | undefined) {
  return behaviourUnchanged([{ path, before, after }]);
}

describe("behaviourUnchanged", () => {
  it.each([
    ["a comment added in JavaScript", "a.js", JS, JS.replace("const re", "// Matches a, then b.\nconst re")],
    ["a block comment in TypeScript", "a.ts", "let x: number = 1;\n", "let x: number = /* one */ 1;\n"],
    ["reformatted TypeScript", "a.ts", "f(a,b);\n", "f(\n  a,\n  b\n);\n"],
    ["TSX layout", "a.tsx", "const a = <b c={1} />;\n", "const a = <b  c={ 1 } />;\n"],
    ["a Python comment", "a.py", PY, PY.replace("    if name:", "    # Only when named.\n    if name:")],
    ["Python spacing within a line", "a.py", PY, PY.replace('"Hi " + name', '"Hi "+name')],
    ["Python re-indented consistently", "a.py", PY, PY.replace(/^ {4}/gm, "  ").replace(/^ {6}/gm, "    ")],
  ])("proves %s unchanged", async (_what, path, before, after) => {
    expect(await verdict(path, before, after)).toEqual({ unchanged: true });
  });

  it.each([
    ["a changed string", "a.js", JS, JS.replace("Hello, ", "Hello ")],
    ["spaces inside a string", "a.js", JS, JS.replace("Hello, ", "Hello,  ")],
    ["a changed regular expression", "a.js", JS, JS.replace("/a+b/", "/a+ b/")],
    ["a renamed identifier", "a.js", JS, JS.replace(/name/g, "who")],
    [
      "a line break that ends a return",
      "a.js",
      "function f() { return x; }\n",
      "function f() { return\nx; }\n",
    ],
    ["a Python docstring (visible as __doc__)", "a.py", PY, PY.replace("Greets.", "Greets people.")],
    [
      "a Python line moved out of its block",
      "a.py",
      PY,
      PY.replace("        print(name)", "    print(name)"),
    ],
    ["Python indentation turned into tabs", "a.py", PY, PY.replace("        print", "\t\tprint")],
    ["a file in an unsupported language", "a.rb", "x = 1\n", "x = 1 # one\n"],
    ["a file that does not parse", "a.js", "let x = ;\n", "let x = ; // broken\n"],
    ["an added file", "a.js", undefined, "// new\n"],
    ["a deleted file", "a.js", "// old\n", undefined],
  ])("does not prove %s unchanged", async (_what, path, before, after) => {
    expect(await verdict(path, before, after)).toMatchObject({ unchanged: false });
  });

  it("needs every file of the step to be unchanged, and names the first that is not", async () => {
    const result = await behaviourUnchanged([
      { path: "a.js", before: JS, after: `${JS}// trailing note\n` },
      { path: "b.py", before: PY, after: PY.replace("Hi ", "Hey ") },
    ]);
    expect(result).toEqual({ unchanged: false, because: "`b.py` changes code, not only comments or layout" });
  });
});

describe("testFirstException", () => {
  const gate = (status: GateResult["status"], detail: string): GateResult => ({
    gate: "test-first",
    status,
    detail,
  });

  it("names how test-first was met when no test showed it, and nothing otherwise", () => {
    expect(
      testFirstException([
        gate("passed", "behaviour unchanged (comments/formatting only); `npm test` passes"),
      ]),
    ).toBe("test-first: behaviour unchanged (comments/formatting only)");
    expect(testFirstException([gate("waived", "waived by @ada-l (`/agent skip-tests`) instead of: …")])).toBe(
      "test-first: ⚠️ waived by @ada-l",
    );
    expect(
      testFirstException([gate("passed", "`npm test` failed before the change (exit 1) and passes with it")]),
    ).toBe(undefined);
  });
});
