import { describe, expect, it } from "vitest";
import { codeSpan } from "../../src/guardrails/untrusted/neutralize-model-markdown.ts";
import {
  cell,
  renderGateExcerpts,
  renderRefusals,
  renderReviewReasons,
} from "../../src/report/render-guardrails.ts";
import type { GateResult } from "../../src/jobs/run-log.ts";

// What commands printed, file names and refusal reasons come from the repository or the model: on
// GitHub they must stay text, never the app's Markdown or HTML.
describe("the guardrails' report, with text others wrote", () => {
  it("keeps a command's output inside its code block, however many backticks it prints", () => {
    const gate = {
      gate: "tests",
      status: "failed",
      detail: "",
      excerpts: [
        { title: "npm test <script>", text: "ok\n```\ncc @victim ![t](https://evil.example/t.png)\n```" },
      ],
    } as unknown as GateResult;
    const rendered = renderGateExcerpts([gate]);
    expect(rendered).toContain("<summary>npm test &lt;script&gt;</summary>");
    expect(rendered).toContain("````\nok\n```\ncc @victim ![t](https://evil.example/t.png)\n```\n````");
  });

  it("shows a refusal's reason and a file's name as code", () => {
    const table = renderRefusals([
      {
        rule: "paths",
        subject: "x",
        reason: 'path "../@victim ![t](https://evil.example/t.png)" is outside',
      },
    ] as never);
    expect(table).toContain('| `path "../@victim ![t](https://evil.example/t.png)" is outside` |');
    expect(renderReviewReasons([{ path: "a` @victim `b.ts", reason: "needs review" }])).toBe(
      "- ``a` @victim `b.ts``: needs review",
    );
  });

  it("keeps a name with a lone carriage return or a backslash before a pipe in its cell", () => {
    expect(cell(codeSpan("a\r\r## Guardrails\r![t](x)"))).toBe("`a  ## Guardrails ![t](x)`");
    expect(cell(codeSpan("x\\|![t](https://evil.example/t.png)"))).toBe(
      "`x\\\\\\|![t](https://evil.example/t.png)`",
    );
  });
});
