/**
 * The forms a secret takes when a command or a tool encodes it: itself, base64 and base64url at
 * each of the three byte alignments (so it is found inside the encoding of a longer value such as
 * `x-access-token:TOKEN`), URL-encoded, and hex in either case.
 */
export function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const forms = new Set([secret, bytes.toString("hex"), bytes.toString("hex").toUpperCase()]);
  forms.add(encodeURIComponent(secret));
  forms.add(encodeURIComponent(secret).replace(/%20/g, "+"));
  for (const alignment of [0, 1, 2]) {
    const padded = Buffer.concat([Buffer.alloc(alignment), bytes]);
    // Characters that mix the secret's bits with the bytes before or after it are left out.
    const start = [0, 2, 3][alignment]!;
    const end = Math.floor(((alignment + bytes.length) * 8) / 6);
    const base64 = padded.toString("base64").slice(start, end);
    forms.add(base64);
    forms.add(base64.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...forms];
}
