// `npm run bench`: the speed targets and the context budget's token saving, each a ratio against a
// baseline measured in the same run on this machine (see docs/benchmarks.md). Not part of the
// test suite.
//   npm run bench -- [webhook | webhook-embedded | webhook-redis] [start] [step] [tokens] [redteam] [--rounds N] [--strict] [--github-latency MS]
// Names pick measurements (all by default; an unknown name stops the run). `--strict` exits non-zero when a ratio misses its
// target; without it only the red team (an escape, or an ordinary command refused) fails the run.
// `--github-latency` makes the job start's fake GitHub answer that many milliseconds late (API
// and git alike, the plain clone's too), as a GitHub across a network would.
import { parseArgs } from "node:util";
import { stepOverhead, tokenEfficiency } from "./agent-loop-costs.ts";
import { jobStart } from "./job-start.ts";
import { passes, verdictLine, type RatioResult } from "./measure.ts";
import { redTeam } from "./redteam/redteam.ts";
import { webhookAcknowledgement } from "./webhook-ack.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    strict: { type: "boolean", default: false },
    rounds: { type: "string", default: "3" },
    "github-latency": { type: "string", default: "0" },
  },
});
/** A whole number of at least `least` from an option, or the run stops saying which option is wrong. */
function count(option: string, value: string, least: number): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < least) {
    console.error(`--${option} ${value}: give a whole number of at least ${least}`);
    process.exit(2);
  }
  return parsed;
}
const rounds = count("rounds", values.rounds, 1);
const githubLatency = count("github-latency", values["github-latency"], 0);
const NAMES = ["webhook", "webhook-embedded", "webhook-redis", "start", "step", "tokens", "redteam"];
const unknown = positionals.filter((name) => !NAMES.includes(name));
if (unknown.length > 0) {
  console.error(`no measurement named ${unknown.join(", ")}: choose from ${NAMES.join(", ")}`);
  process.exit(2);
}
const wanted = (name: string) => positionals.length === 0 || positionals.includes(name);
const ratios: RatioResult[] = [];
for (const mode of ["embedded", "redis"] as const) {
  if (wanted("webhook") || wanted(`webhook-${mode}`)) ratios.push(await webhookAcknowledgement(mode, rounds));
}
if (wanted("start")) ratios.push(...(await jobStart(rounds, githubLatency)));
if (wanted("step")) await stepOverhead();
if (wanted("tokens")) ratios.push(await tokenEfficiency());
const failures = wanted("redteam") ? await redTeam() : 0;
if (ratios.length > 0) {
  console.log("targets (ratios against baselines of this run):");
  for (const ratio of ratios) console.log(`  ${verdictLine(ratio)}`);
}
const missed = ratios.filter((ratio) => !passes(ratio)).length;
process.exit(failures > 0 || (values.strict && missed > 0) ? 1 : 0);
