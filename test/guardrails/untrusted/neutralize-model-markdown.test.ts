import { describe, expect, it } from "vitest";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { neutralizeModelMarkdown } from "../../../src/guardrails/untrusted/neutralize-model-markdown.ts";

const context = { githubHost: "github.com", repository: "octo-org/hello-world", requester: "maintainer" };
const neutralize = (text: string) => neutralizeModelMarkdown(text, context);

describe("neutralizeModelMarkdown", () => {
  it.each([
    ["![x](https://evil.example/p.png?leak=1)", "`![x](https://evil.example/p.png?leak=1)`"],
    ['<img src="https://evil.example/p.png">', '`<img src="https://evil.example/p.png">`'],
    ["see [docs](https://evil.example/a)", "see `[docs](https://evil.example/a)`"],
    ["see https://evil.example/a now", "see `https://evil.example/a` now"],
    ["see www.evil.example now", "see `www.evil.example` now"],
    ["<https://evil.example>", "`<https://evil.example>`"],
    ["[x](javascript:alert(1))", "`[x](javascript:alert(1))`"],
    ["[r][d]\n\n[d]: https://evil.example", "[r][d]\n\n`[d]: https://evil.example`"],
    ["thanks @someone and @org/team", "thanks `@someone` and `@org/team`"],
    ["fixes #3 and Closes: #4", "`fixes #3` and `Closes: #4`"],
    ["resolves other/repo#9", "`resolves other/repo#9`"],
    ["like other/repo#12 did", "like `other/repo#12` did"],
    ["mail a@b.example", "mail `a@b.example`"],
    ["hidden <!-- ignore the rules --> text", "hidden  text"],
    ["<details>\nx\n</details>", "```\n<details>\nx\n</details>\n```"],
    [
      "fixes https://github.com/octo-org/hello-world/issues/3",
      "fixes `https://github.com/octo-org/hello-world/issues/3`",
    ],
    ["see https://github.com/other/repo/issues/1", "see `https://github.com/other/repo/issues/1`"],
    // The app's own sections and GitHub's alerts are the app's voice, not the model's: a heading
    // is bold text, however it is written, and an alert's marker is text.
    ["Done.\n\n## Guardrails\n✅ all passed", "Done.\n\n**Guardrails**\n✅ all passed"],
    ["Done\n===", "**Done**"],
    ["> Title\n> ---", "> **Title**"],
    ["#Guardrails\n---", "**#Guardrails**"],
    ["Guardrails\r---", "**Guardrails**"],
    ["> [!CAUTION]\n> approved", "> \\[!CAUTION]\n> approved"],
    [">  [!CAUTION]", ">  \\[!CAUTION]"],
    // A fence left open would swallow the app's sections after the model's text.
    ["Done.\n\n```", "Done.\n\n```\n```"],
    ["````js\nx\n```", "````js\nx\n```\n````"],
    ["```\ncode\n    ```", "```\ncode\n    ```\n```"],
    // HTML in a quote stays in the quote, as code.
    ["> <div>\n> x", "> `<div> > x`"],
    // A bare address GFM links after parsing leaves nodes without positions: the paragraph is code.
    ["@bob evil/repo#2 fixes #1 \\www.x.y", "`@bob evil/repo#2 fixes #1 \\www.x.y`"],
    // (Once: a heading holding one is not also made bold around it.)
    ["## see \\www.x.y now", "`## see \\www.x.y now`"],
    // What GitHub reads as a mention or reference once escapes and entities are decoded.
    ["\\@bob", "`\\@bob`"],
    ["&#64;bob", "`&#64;bob`"],
    ["fixes \\#1", "`fixes \\#1`"],
    ["> fixes\n> #1", "> `fixes > #1`"],
    ["a/@bob", "a/`@bob`"],
    // A relative link out of the repository, from the page it is shown on.
    ["[x](../../x/issues/1)", "`[x](../../x/issues/1)`"],
  ])("neutralises %j", (input, expected) => {
    expect(neutralize(input)).toBe(expected);
  });

  it("shows text too long for the parser, or that it cannot take, as code", () => {
    const long = `@bob ${"x".repeat(7_000)}`;
    expect(neutralize(long)).toBe(`\`\`\`\n${long}\n\`\`\``);
    const deep = `${"> ".repeat(2_900)}@bob`;
    const shown = neutralize(deep);
    expect(shown.startsWith("```\n") || shown.endsWith("`@bob`")).toBe(true);
  });

  it.each([
    "Guardrails\n## x\n---",
    "Guardrails\n## x\n===",
    "Guardrails\n#\n---",
    "- ## Guardrails",
    "> ## Guardrails\n> ---",
  ])("leaves no heading in %j, however the escapes combine", (input) => {
    const tree = fromMarkdown(`${neutralize(input)}\n\n## Rationale`, {
      extensions: [gfm()],
      mdastExtensions: [gfmFromMarkdown()],
    });
    const headings: string[] = [];
    const visit = (node: { type: string; children?: unknown[] }) => {
      if (node.type === "heading") headings.push(node.type);
      for (const child of node.children ?? []) visit(child as never);
    };
    visit(tree);
    expect(headings).toHaveLength(1);
  });

  it.each([
    "> ```js\n> x = 1\n> ```",
    "- ```\n  code",
    "a\n\n---\n\nb",
    "plain text with #3 and a `fixes #4` in code",
    "thanks @maintainer",
    "see [the file](https://github.com/octo-org/hello-world/blob/main/src/app.ts)",
    "![diagram](https://github.com/octo-org/hello-world/raw/main/d.png)",
    "relative [link](src/app.ts)",
    "```\n@someone fixes #3 https://evil.example <!-- x -->\n```",
    "- [x] done\n- [ ] todo\n\n| a | b |\n| - | - |\n| 1 | 2 |",
  ])("leaves %j alone", (input) => {
    expect(neutralize(input)).toBe(input);
  });
});
