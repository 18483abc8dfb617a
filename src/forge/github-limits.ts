/** GitHub rejects check-run summaries/texts and comment bodies above 65,535 characters. */
const GITHUB_TEXT_LIMIT = 65_535;

export function fitGitHubText(text: string, limit = GITHUB_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const marker = "\n\n… (truncated to fit GitHub's size limit)";
  return text.slice(0, limit - marker.length) + marker;
}
