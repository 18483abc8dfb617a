import pLimit, { type LimitFunction } from "p-limit";
import { setTimeout as sleep } from "node:timers/promises";
import type { DeliveryLog } from "./delivery-log.ts";
import { issueKey, type TriggerRequest } from "./trigger.ts";

interface IntakeLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * The stage between a webhook's acknowledgement and the job queue. The receiver has already
 * recorded the request durably; here it is handled (config, permission, reply or enqueue, see
 * handleTrigger) right away but off GitHub's clock. Requests on one issue are handled in arrival
 * order, so "label, then /agent approve" never swap; different issues run in parallel up to a
 * limit. A request is settled only once handled, so one a stopped process left behind is picked up
 * by `recover` after the restart.
 */
export class Intake {
  private readonly handle: (request: TriggerRequest) => Promise<void>;
  private readonly deliveries: DeliveryLog;
  private readonly log: IntakeLog;
  private readonly retryDelaysMs: readonly number[];
  private readonly onDropped: ((request: TriggerRequest, error: unknown) => Promise<void>) | undefined;
  private readonly limit: LimitFunction;
  private readonly issueQueues = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<string>();
  private idleWaiters: Array<() => void> = [];

  constructor(options: {
    handle: (request: TriggerRequest) => Promise<void>;
    deliveries: DeliveryLog;
    log: IntakeLog;
    concurrency?: number;
    /** Pauses between attempts when handling throws (GitHub down); after the last, it is dropped. */
    retryDelaysMs?: readonly number[];
    /** Tells the person who asked that a request was dropped (see handleUntilSettled). */
    onDropped?: (request: TriggerRequest, error: unknown) => Promise<void>;
  }) {
    this.handle = options.handle;
    this.onDropped = options.onDropped;
    this.deliveries = options.deliveries;
    this.log = options.log;
    this.retryDelaysMs = options.retryDelaysMs ?? [1_000, 5_000];
    this.limit = pLimit(options.concurrency ?? 16);
  }

  /** Handles an accepted request in the background. A request already being handled is skipped. */
  submit(request: TriggerRequest): void {
    const deliveryId = request.trigger.deliveryId;
    if (this.inFlight.has(deliveryId)) return;
    this.inFlight.add(deliveryId);
    const key = issueKey(request.trigger);
    const previous = this.issueQueues.get(key) ?? Promise.resolve();
    const handled = previous.then(() => this.limit(() => this.handleUntilSettled(request)));
    this.issueQueues.set(key, handled);
    void handled.finally(() => {
      if (this.issueQueues.get(key) === handled) this.issueQueues.delete(key);
      this.inFlight.delete(deliveryId);
      if (this.inFlight.size === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    });
  }

  /** Resolves once every request submitted so far is handled. */
  idle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Submits the requests accepted before `receivedBefore` that were never settled. */
  async recover(receivedBefore: Date): Promise<number> {
    try {
      const left = await this.deliveries.unsettled(receivedBefore);
      for (const request of left) this.submit(request);
      if (left.length > 0) {
        this.log.info(
          { deliveries: left.map((request) => request.trigger.deliveryId) },
          `picked up ${left.length} webhook request(s) a stopped process had not handled`,
        );
      }
      return left.length;
    } catch (error) {
      this.log.error({ err: error }, "could not recover unhandled webhook requests");
      return 0;
    }
  }

  private async handleUntilSettled(request: TriggerRequest): Promise<void> {
    const deliveryId = request.trigger.deliveryId;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.handle(request);
        break;
      } catch (error) {
        const delay = this.retryDelaysMs[attempt];
        if (delay === undefined) {
          this.log.error(
            { err: error, delivery: deliveryId },
            "could not handle the webhook request after retries; dropped (label the issue again to retry)",
          );
          // Said where it was asked too, when GitHub lets the app: a maintainer who labelled an
          // issue or commented `/agent` would otherwise wait for an answer that never comes.
          await this.onDropped?.(request, error).catch((failure: unknown) =>
            this.log.warn({ err: failure, delivery: deliveryId }, "could not say the request was dropped"),
          );
          break;
        }
        this.log.warn(
          { err: error, delivery: deliveryId, retryInMs: delay },
          "webhook request failed; retrying",
        );
        await sleep(delay);
      }
    }
    await this.deliveries
      .settle(deliveryId)
      .catch((error: unknown) => this.log.error({ err: error, delivery: deliveryId }, "could not settle"));
  }
}
