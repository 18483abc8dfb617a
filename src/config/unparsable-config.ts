import { parse, parseDocument } from "yaml";
import { UnusableConfig } from "../errors.ts";

/**
 * The first of `texts` that is not valid YAML, as the error to show, or undefined when all parse.
 * Its message is the parser's first line, which says what is wrong and where ("Tabs are not allowed
 * as indentation at line 4, column 1"); the lines it quotes after that are left out (repository
 * text, and a comment is no place for them). `ownText` is the repository's own file: what can be
 * read of it still names the label the repository meant, so the error is answered on that label.
 */
export function unparsableConfig(
  texts: ReadonlyArray<{ where: string; text: string }>,
  ownText: string | undefined,
): UnusableConfig | undefined {
  for (const { where, text } of texts) {
    const problem = yamlProblem(text);
    if (problem === undefined) continue;
    return new UnusableConfig(
      `${where} is not valid YAML: ${problem}`,
      "Fix the file on the default branch, then label the issue again or comment `/agent`.",
      ownText === undefined ? undefined : whatCanBeRead(ownText),
    );
  }
  return undefined;
}

function yamlProblem(text: string): string | undefined {
  try {
    parse(text, { logLevel: "error" });
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.split("\n", 1)[0]!.replace(/:$/, ".");
  }
}

/** The document as far as it parses (a key after the broken line may be missing). */
function whatCanBeRead(text: string): unknown {
  try {
    return parseDocument(text, { logLevel: "silent" }).toJS();
  } catch {
    return undefined;
  }
}
