import type { ShellNode } from "./parse-shell.ts";

/** A word of a simple command: its value when it is fixed text, and its source either way. */
export interface ShellWord {
  /** The word as the command will see it; `undefined` when it depends on expansion at run time. */
  value: string | undefined;
  source: string;
}

/** A word the harness puts in itself (a canonical flag, `echo` for bare `xargs`). */
export function literalWord(value: string): ShellWord {
  return { value, source: value };
}

/**
 * A computed word in double quotes expands to exactly one word; any other computed word may split
 * into any number of words, so it could stand for a whole rule.
 */
export function expandsToOneWord(word: ShellWord): boolean {
  return word.value !== undefined || /^"[^"]*"$/.test(word.source);
}

export function basename(program: string): string {
  const slash = program.lastIndexOf("/");
  return slash === -1 ? program : program.slice(slash + 1);
}

/** The value of a word when it is fixed text (quotes removed, escapes resolved). */
export function toWord(node: ShellNode): ShellWord {
  return { value: literalValue(node), source: node.text };
}

function literalValue(node: ShellNode): string | undefined {
  switch (node.type) {
    case "command_name": {
      const inner = node.namedChildren[0];
      return inner ? literalValue(inner) : undefined;
    }
    case "word":
    case "number":
      return unescapeWord(node.text);
    case "raw_string":
      return node.text.slice(1, -1);
    case "ansi_c_string":
      return undefined;
    case "string": {
      let value = "";
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type !== "string_content") return undefined;
        value += child.text.replace(/\\([$`"\\\n])/g, "$1");
      }
      return value;
    }
    case "concatenation": {
      let value = "";
      for (const child of node.namedChildren) {
        const part = child ? literalValue(child) : undefined;
        if (part === undefined) return undefined;
        value += part;
      }
      return value;
    }
    default:
      return undefined;
  }
}

function unescapeWord(text: string): string {
  return text.replace(/\\(.)/g, "$1");
}
