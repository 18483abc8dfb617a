import { run } from "probot";
import { createIssueAgent } from "./app.ts";
import { UserFacingError } from "./errors.ts";
import { SmeeChannelClient } from "./server/offline-smee-client.ts";
import { withoutProbotRedis } from "./settings.ts";

// `npm start`: the Probot server. Without APP_ID/PRIVATE_KEY, Probot serves its setup page that
// registers the GitHub App from app.yml (the manifest flow) and writes the credentials to .env.
try {
  const agent = createIssueAgent({});
  await run(agent.app, { SmeeClient: SmeeChannelClient, env: withoutProbotRedis(process.env) } as Parameters<
    typeof run
  >[1]);
} catch (error) {
  if (error instanceof UserFacingError) {
    console.error(`issue-agent cannot start: ${error.message}${error.hint ? `\n${error.hint}` : ""}`);
  } else {
    console.error(`issue-agent cannot start: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}
