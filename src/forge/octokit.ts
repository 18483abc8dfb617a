import type { ProbotOctokit } from "probot";

/** An installation's (or the app's) authenticated GitHub client: the one Octokit type of the codebase. */
export type Octokit = InstanceType<typeof ProbotOctokit>;
