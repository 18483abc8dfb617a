import { describe, expect, it } from "vitest";
import { parseNumstat, parseRaw, splitNul } from "../../src/workspace/change-list.ts";

describe("the change-list reader", () => {
  it.each([
    ["ké.pem", "ké.pem"],
    ['a"b.key', 'a"b.key'],
    ["tab\there.env", "tab\there.env"],
    ["new\nline.txt", "new\nline.txt"],
    [".github/workflows/é.yml", ".github/workflows/é.yml"],
  ])("reads %j as the name it is", (name, expected) => {
    expect(parseNumstat(`3\t1\t${name}\0-\t-\tbin.dat\0`)).toEqual([
      { path: expected, added: 3, removed: 1 },
      { path: "bin.dat", added: 1, removed: 0 },
    ]);
    expect(parseRaw(`:000000 160000 0000 abcd A\0${name}\0`)).toEqual([
      { path: expected, oldMode: "000000", newMode: "160000" },
    ]);
  });

  it("splits NUL-separated output without an empty last field", () => {
    expect(splitNul("")).toEqual([]);
    expect(splitNul("a\0b\0")).toEqual(["a", "b"]);
  });
});
