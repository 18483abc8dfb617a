import type { CheckRunOutput } from "./forge.ts";
import { fitGitHubText } from "./github-limits.ts";

/** GitHub accepts at most 50 annotations per request. */
const MAX_ANNOTATIONS = 50;

/** A check run's output as GitHub accepts it: texts within its size limits, annotations within its count. */
export function fitCheckOutput(output: CheckRunOutput) {
  return {
    title: output.title.slice(0, 255),
    summary: fitGitHubText(output.summary),
    ...(output.text === undefined ? {} : { text: fitGitHubText(output.text) }),
    ...(output.annotations?.length
      ? {
          annotations: output.annotations.slice(0, MAX_ANNOTATIONS).map((a) => ({
            path: a.path,
            start_line: 1,
            end_line: 1,
            annotation_level: "failure" as const,
            message: a.message.slice(0, 64_000),
          })),
        }
      : {}),
  };
}
