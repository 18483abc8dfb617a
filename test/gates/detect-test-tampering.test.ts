import { describe, expect, it } from "vitest";
import { isExpectationFile, testTamperingReasons } from "../../src/gates/detect-test-tampering.ts";

const reasons = (before: string | undefined, after: string | undefined, path = "test/a.test.js") =>
  testTamperingReasons([{ path, before, after }], []).map((r) => r.reason);

const JS = 'test("adds", () => {\n  assert.equal(add(1, 2), 3);\n});\n';

describe("testTamperingReasons", () => {
  it("lets new test files and added tests through", () => {
    expect(reasons(undefined, "test.skip('x', () => {});\n")).toEqual([]);
    expect(reasons(JS, `${JS}\ntest("zero", () => {\n  assert.equal(add(0, 2), 2);\n});\n`)).toEqual([]);
  });

  it("flags a deleted test file and removed test cases", () => {
    expect(reasons(JS, undefined)).toEqual(["deletes a test file that existed"]);
    expect(
      reasons(
        "def test_a():\n    pass\n\ndef test_b():\n    pass\n",
        "def test_a():\n    pass\n",
        "tests/test_x.py",
      ),
    ).toEqual(["removes 1 existing test case"]);
    expect(
      reasons(
        "func TestA(t *testing.T) {}\nfunc TestB(t *testing.T) {}\n",
        "func TestA(t *testing.T) {}\n",
        "a_test.go",
      ),
    ).toEqual(["removes 1 existing test case"]);
  });

  it.each([
    ["it.skip", 'test("adds", () => {', 'test.skip("adds", () => {'],
    ["xit", 'it("adds", () => {', 'xit("adds", () => {'],
    ["only", 'it("adds", () => {', `it.${"only"}("adds", () => {`], // spelled so no scanner takes it for a focused test
    ["node:test skip option", 'test("adds", () => {', 'test("adds", { skip: true }, () => {'],
    ["pytest", "def test_adds():", "@pytest.mark.skip(reason='flaky')\ndef test_adds():"],
    ["unittest", "    def test_adds(self):", "    @unittest.skip('later')\n    def test_adds(self):"],
    ["Go", "func TestAdds(t *testing.T) {", 'func TestAdds(t *testing.T) {\n\tt.Skip("later")'],
    ["Rust", "#[test]\nfn adds() {", "#[test]\n#[ignore]\nfn adds() {"],
    ["JUnit", "  @Test\n  void adds() {", "  @Test\n  @Disabled\n  void adds() {"],
  ])("flags an added skip or focus (%s)", (_name, line, skipped) => {
    const before = `${line}\n  x();\n}\n`;
    const found = reasons(before, before.replace(line, skipped));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^skips or narrows existing tests \(`/);
  });

  it("flags changed expectations of tests that existed, quoting them", () => {
    expect(reasons(JS, JS.replace("3);", "4);"))).toEqual([
      "changes what existing tests expect (`assert.equal(add(1, 2), 3);`)",
    ]);
    expect(
      reasons(
        "def test_a():\n    assert add(1, 2) == 3\n",
        "def test_a():\n    assert add(1, 2)\n",
        "tests/test_a.py",
      ),
    ).toEqual(["changes what existing tests expect (`assert add(1, 2) == 3`)"]);
    expect(
      reasons(
        'tests := []struct{ in, want string }{\n\t{in: "a", want: "A"},\n}\n',
        'tests := []struct{ in, want string }{\n\t{in: "a", want: "a"},\n}\n',
        "a_test.go",
      ),
    ).toEqual(['changes what existing tests expect (`{in: "a", want: "A"},`)']);
  });

  it("ignores a change of indentation only", () => {
    expect(reasons(JS, JS.replace("  assert", "    assert"))).toEqual([]);
  });

  it("flags changed or deleted snapshots and golden files, but not new ones", () => {
    const files = [
      {
        path: "src/__snapshots__/a.test.js.snap",
        before: "exports[`a`] = `1`;\n",
        after: "exports[`a`] = `2`;\n",
      },
      { path: "testdata/out.golden", before: "x\n", after: undefined },
      { path: "testdata/new.golden", before: undefined, after: "y\n" },
    ];
    expect(files.every((f) => isExpectationFile(f.path))).toBe(true);
    expect(testTamperingReasons([], files)).toEqual([
      {
        path: "src/__snapshots__/a.test.js.snap",
        reason: "changes a snapshot or expected-output file that tests rely on",
      },
      {
        path: "testdata/out.golden",
        reason: "deletes a snapshot or expected-output file that tests rely on",
      },
    ]);
  });
});
