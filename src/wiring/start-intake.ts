import type { AnswerFirst } from "../server/answer-first.ts";
import type { RepositoryForge } from "../forge/repository-forge.ts";
import { wakeExpiredWaits } from "../jobs/waiting-jobs.ts";
import { droppedRequestText } from "../report/render-command-replies.ts";
import { handleTrigger } from "../triggers/handle-trigger.ts";
import { Intake } from "../triggers/intake.ts";
import type { TriggerRequest } from "../triggers/trigger.ts";
import type { JobState } from "./open-job-state.ts";

/**
 * How long an unsettled webhook request may stay with the receiver that accepted it before another
 * receiver takes it over (scale-out only; one process takes over everything at its start). Also
 * how often expired waits for a human are looked for.
 */
const INTAKE_TAKEOVER_MS = 60_000;

interface Log {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: object): Log;
}

/**
 * The intake stage, each request handled against its repository, and its housekeeping: requests
 * another process left unsettled, waits for a human that expired, old job logs.
 */
export function startIntake(options: {
  state: JobState;
  repositoryFor: (trigger: TriggerRequest["trigger"]) => Promise<RepositoryForge>;
  scaleOut: boolean;
  log: Log;
  /** The intake's GitHub calls wait while webhooks are arriving, so they do not delay the answers. */
  answerFirst: AnswerFirst;
}): { intake: Intake; housekeeping: NodeJS.Timeout } {
  const { state, log } = options;
  const deps = { store: state.store, queue: state.queue, inbox: state.inbox };
  const intake = new Intake({
    deliveries: state.deliveries,
    log,
    handle: async (request) => {
      await options.answerFirst.turn();
      await handleTrigger(
        request,
        await options.repositoryFor(request.trigger),
        deps,
        log.child({ delivery: request.trigger.deliveryId }),
      );
    },
    onDropped: async (request, error) => {
      // Events on a pull request (CI, reviews' states) were asked by nobody in particular.
      if (request.pullRequestEvent) return;
      const repository = await options.repositoryFor(request.trigger);
      await repository.comment(request.trigger.issueNumber, droppedRequestText(error));
    },
  });
  // Jobs whose question went unanswered too long are woken to end with a note.
  const wakeExpired = () =>
    void wakeExpiredWaits(deps).catch((error: unknown) =>
      log.warn({ err: error }, "could not check for expired waits"),
    );
  if (options.scaleOut) {
    const takeOver = () => void intake.recover(new Date(Date.now() - INTAKE_TAKEOVER_MS));
    takeOver();
    const housekeeping = setInterval(() => {
      takeOver();
      wakeExpired();
    }, INTAKE_TAKEOVER_MS).unref();
    return { intake, housekeeping };
  }
  void intake.recover(new Date());
  const housekeeping = setInterval(() => {
    wakeExpired();
    state.pruneLogs();
  }, INTAKE_TAKEOVER_MS).unref();
  return { intake, housekeeping };
}
