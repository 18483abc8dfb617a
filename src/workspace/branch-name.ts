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
