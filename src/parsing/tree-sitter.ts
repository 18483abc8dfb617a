import { createRequire } from "node:module";
import v8 from "node:v8";
import { Language, Parser } from "web-tree-sitter";

export { Parser, type Language, type Node } from "web-tree-sitter";

let ready: Promise<void> | undefined;
const languages = new Map<string, Promise<Language>>();

/**
 * tree-sitter's runtime, ready for grammars. WebAssembly stays in V8's baseline compiler (Liftoff):
 * its optimizing tier spends about 1.5 s of CPU per process compiling the large grammars (the bash
 * grammar alone is 1.3 MB) for parses of command lines and changed files that take microseconds
 * either way. That is 1.5 s added to every CLI run, every app start's first job and every test
 * process. Set at run time, before the first grammar compiles; the flags are process-wide, and the
 * only other WebAssembly in the app (fetch's HTTP parser) loses nothing a network call would notice.
 */
function initialize(): Promise<void> {
  ready ??= (async () => {
    v8.setFlagsFromString("--no-wasm-dynamic-tiering");
    v8.setFlagsFromString("--no-wasm-tier-up");
    await Parser.init();
  })();
  return ready;
}

/** A grammar shipped as WebAssembly in an npm package (`tree-sitter-bash/tree-sitter-bash.wasm`), loaded once. */
export async function loadGrammar(grammar: string): Promise<Language> {
  await initialize();
  let language = languages.get(grammar);
  if (!language) {
    language = Language.load(createRequire(import.meta.url).resolve(grammar));
    languages.set(grammar, language);
  }
  return language;
}
