import { loadGrammar, Parser, type Node } from "../../parsing/tree-sitter.ts";

let parserPromise: Promise<Parser> | undefined;

/** tree-sitter's bash grammar, compiled to WebAssembly: a complete bash parser with no native build. */
function loadParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    const language = await loadGrammar("tree-sitter-bash/tree-sitter-bash.wasm");
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

export type ShellNode = Node;

/** The syntax tree of a command line; `undefined` when it is not valid bash. */
export async function parseShell(source: string): Promise<ShellNode | undefined> {
  const parser = await loadParser();
  const tree = parser.parse(source);
  if (!tree || tree.rootNode.hasError) return undefined;
  return tree.rootNode;
}
