/** The check run's line about the tests: which command test-first runs and where it came from. */
export function renderTestCommandNote(
  plan: { command: string | undefined; source: string },
  testFirst: boolean,
): string {
  if (!testFirst) return "🧪 Tests: `gates.test_first` is off, so the tests are not run by the gates.";
  if (plan.command) return `🧪 Tests: \`${plan.command}\` (${plan.source}).`;
  return `🧪 Tests: no test command (${plan.source}); changes with tests will be marked **not verified**, never passed. Set \`gates.tests.command\` in \`.github/agent.yml\` to have them run.`;
}
