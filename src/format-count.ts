/** A count with its noun, singular only for one: "1 turn", "0 turns", "2 model calls". */
export function formatCount(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}
