import path from "node:path";
import { loadGrammar, Parser, type Node } from "../parsing/tree-sitter.ts";

/** The grammar (a WebAssembly file shipped in its npm package) for each supported file extension. */
const GRAMMARS: Record<string, string> = {
  ".js": "tree-sitter-javascript/tree-sitter-javascript.wasm",
  ".mjs": "tree-sitter-javascript/tree-sitter-javascript.wasm",
  ".cjs": "tree-sitter-javascript/tree-sitter-javascript.wasm",
  ".jsx": "tree-sitter-javascript/tree-sitter-javascript.wasm",
  ".ts": "tree-sitter-typescript/tree-sitter-typescript.wasm",
  ".mts": "tree-sitter-typescript/tree-sitter-typescript.wasm",
  ".cts": "tree-sitter-typescript/tree-sitter-typescript.wasm",
  ".tsx": "tree-sitter-typescript/tree-sitter-tsx.wasm",
  ".py": "tree-sitter-python/tree-sitter-python.wasm",
};

/**
 * Nodes kept whole, text and all: whatever is written inside a string, template or regular
 * expression is data the program sees, so its spaces count. Python docstrings are strings too:
 * they are visible at run time (`__doc__`), so changing one is a behaviour change.
 */
const VERBATIM = /string|template|regex|heredoc/;

async function parserFor(file: string): Promise<Parser | undefined> {
  const grammar = GRAMMARS[path.extname(file).toLowerCase()];
  if (!grammar) return undefined;
  const language = await loadGrammar(grammar);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/**
 * The program a file holds with its comments and layout taken out: its syntax tree written as
 * nested node types and token texts. Two versions with the same tokens parse to the same program.
 * `undefined` when the file's language is not supported or the file does not parse cleanly, since
 * then nothing can be proved about it.
 */
export async function codeTokens(file: string, source: string): Promise<string[] | undefined> {
  const parser = await parserFor(file);
  if (!parser) return undefined;
  const tree = parser.parse(source);
  try {
    if (!tree || tree.rootNode.hasError) return undefined;
    const tokens: string[] = [];
    walk(tree.rootNode, source, tokens);
    return tokens;
  } finally {
    tree?.delete();
    parser.delete();
  }
}

function walk(node: Node, source: string, tokens: string[]): void {
  if (node.type === "comment" || node.type === "html_comment") return;
  if (node.childCount === 0 || VERBATIM.test(node.type)) {
    tokens.push(`${node.type}:${node.text}`);
    return;
  }
  // The tree's shape is part of the program: in Python a statement's indentation decides which
  // block it belongs to, and in JavaScript a line break can end a statement.
  tokens.push(`(${node.type}`);
  let at = node.startIndex;
  for (const child of node.children) {
    if (!child) continue;
    pushGap(source.slice(at, child.startIndex), tokens);
    walk(child, source, tokens);
    at = child.endIndex;
  }
  pushGap(source.slice(at, node.endIndex), tokens);
  tokens.push(")");
}

/** Text of a node that no child covers: layout, unless a grammar left something else there. */
function pushGap(text: string, tokens: string[]): void {
  if (text.trim() !== "") tokens.push(`gap:${text.trim()}`);
}
