import { createRequire } from "node:module";
import { Language, Parser, type Node } from "web-tree-sitter";

let parserPromise: Promise<Parser> | undefined;

/** tree-sitter's bash grammar, compiled to WebAssembly: a complete bash parser with no native build. */
function loadParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const wasm = createRequire(import.meta.url).resolve("tree-sitter-bash/tree-sitter-bash.wasm");
    const parser = new Parser();
    parser.setLanguage(await Language.load(wasm));
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
