/** `agent/<issue-number>-<slug>`: readable, valid as a git ref, bounded in length. */
export function branchName(issueNumber: number, title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return slug ? `agent/${issueNumber}-${slug}` : `agent/${issueNumber}`;
}

/**
 * A re-run on the same issue must not push over an earlier attempt's branch. `listing` holds the
 * lines git prints for the branches that exist (`<sha> refs/heads/<name>`, tab- or space-separated).
 */
export function unusedBranchName(wanted: string, listing: readonly string[]): string {
  const taken = new Set(
    listing.map((line) => line.split("refs/heads/")[1]).filter((name): name is string => Boolean(name)),
  );
  if (!taken.has(wanted)) return wanted;
  for (let attempt = 2; ; attempt += 1) {
    const candidate = `${wanted}-${attempt}`;
    if (!taken.has(candidate)) return candidate;
  }
}
