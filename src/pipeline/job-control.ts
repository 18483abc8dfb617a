import type { InboxItem } from "../jobs/job-inbox.ts";
import { quoteMarkdown } from "../report/quote-markdown.ts";
import type { JobRun } from "./open-job.ts";

/** How often a running job looks for `/agent stop` and steering messages. */
const INBOX_POLL_MS = 1_000;

/**
 * The job's inbox, read while it runs: `/agent stop` aborts `signal`, and with it everything under
 * way (the model call, the running command, the gates), within a poll. Maintainers' messages wait
 * in `undelivered` for the agent's next turn; approval decisions in `approvalAnswers` for a resume.
 */
export class JobControl {
  readonly signal: AbortSignal;
  stoppedBy: string | undefined;
  /** Messages for the agent's next turn; messages recorded before an interruption come again. */
  readonly undelivered: InboxItem[];
  readonly approvalAnswers: InboxItem[] = [];
  /**
   * A waiver of test-first by someone with write access: from the request that started the job,
   * or sent to it while it runs (`/agent skip-tests`). The agent is told, once.
   */
  waivedBy: string | undefined;
  private stopRequest: InboxItem | undefined;
  private readonly stop = new AbortController();
  /** One read at a time, so the pause can wait for the last one before it commits. */
  private reading: Promise<void> = Promise.resolve();
  private poller: NodeJS.Timeout | undefined;

  private readonly run: JobRun;

  private constructor(run: JobRun) {
    this.run = run;
    const { deps, job, interrupted } = run;
    this.signal = deps.signal ? AbortSignal.any([deps.signal, this.stop.signal]) : this.stop.signal;
    this.undelivered = interrupted ? [...(job.messages ?? [])] : [];
    this.waivedBy = job.waivedBy ?? job.trigger.waivedBy;
  }

  /** Reads the inbox once, then polls it until `stopPolling`. */
  static async start(run: JobRun): Promise<JobControl> {
    const control = new JobControl(run);
    const { job } = run;
    if (!run.paused && !run.interrupted && job.trigger.waivedBy) {
      const by = job.trigger.waivedBy;
      control.undelivered.push({ kind: "waiver", by, text: waiverMessage(by), at: job.createdAt });
      run.job = { ...job, waivedBy: by };
      await run.save();
    }
    control.reading = control.read();
    await control.reading;
    control.poller = setInterval(
      () => void (control.reading = control.reading.then(() => control.read())),
      INBOX_POLL_MS,
    );
    control.poller.unref();
    return control;
  }

  stopPolling(): void {
    clearInterval(this.poller);
  }

  /** What the job read but did not use, once the last read is done: it goes back to the inbox. */
  async unused(): Promise<InboxItem[]> {
    await this.reading;
    return [...this.undelivered, ...this.approvalAnswers, ...(this.stopRequest ? [this.stopRequest] : [])];
  }

  private async read(): Promise<void> {
    const { deps } = this.run;
    const jobId = this.run.job.id;
    const items = await deps.inbox.take(jobId).catch((error: unknown) => {
      deps.log.warn({ err: error, jobId }, "could not read the job's inbox");
      return [] as InboxItem[];
    });
    for (const item of items) this.receive(item);
  }

  private receive(item: InboxItem): void {
    const { reporter } = this.run;
    if (item.kind === "stop") {
      this.stoppedBy ??= item.by;
      this.stopRequest ??= item;
      this.stop.abort();
    } else if (item.kind === "approval") {
      this.approvalAnswers.push(item);
    } else if (item.kind === "waiver") {
      const by = item.by;
      this.waivedBy = by;
      this.undelivered.push({ ...item, text: waiverMessage(by, item.text) });
      this.run.saveProgress((current) => ({ ...current, waivedBy: by }));
      void reporter.note(
        `⚠️ @${by} waived test-first for this job (\`/agent skip-tests\`): a step that no test can show is accepted, marked "waived", once the existing tests pass.`,
      );
    } else {
      this.undelivered.push(item);
      this.run.saveProgress((current) => ({ ...current, messages: [...(current.messages ?? []), item] }));
      void reporter.note(
        `💬 @${item.by} sent the agent a message; it reads it at its next turn:\n\n${quoteMarkdown(item.text)}`,
      );
    }
  }
}

/** What the agent is told when test-first is waived for its job. */
function waiverMessage(by: string, instructions = ""): string {
  return [
    `@${by} waived the test-first requirement for this job (\`/agent skip-tests\`): a step that adds no test failing before the change is accepted, shown as "waived by @${by}", as long as the existing tests pass with it.`,
    instructions,
  ]
    .filter(Boolean)
    .join("\n");
}
