import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { DeliveryLog } from "../delivery-log.ts";
import { issueKey, type TriggerRequest } from "../trigger.ts";
import { isActive, type Job } from "../job.ts";
import type { InboxItem, JobInbox } from "../job-inbox.ts";
import type { JobStore } from "../job-store.ts";
import type { Trajectory } from "../../trajectory/trajectory.ts";
import { summaryOf, type TrajectoryStore } from "../../trajectory/trajectory-store.ts";

const DELIVERY_RETENTION_SECONDS = 30 * 86_400;
/** SHA-1 digests of the scripts below, by script text (see evalScript). */
const SCRIPT_DIGESTS = new Map<string, string>();

/**
 * Creates the job unless the issue's active-job pointer names a job that is still queued, running
 * or waiting for a human. Atomic in Redis, so two receivers racing on one issue yield one job.
 * KEYS: active pointer, job key, active set, latest pointer. ARGV: job id, job JSON, job key prefix.
 */
const CREATE_UNLESS_ACTIVE = `
local current = redis.call('GET', KEYS[1])
if current then
  local record = redis.call('GET', ARGV[3] .. current)
  if record then
    local state = cjson.decode(record).state
    if state == 'queued' or state == 'running' or state == 'waiting_for_human' then return record end
  end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SET', KEYS[4], ARGV[1])
return false
`;

/** Saves the job; once it is over, its issue's pointer and its active-set entry are released. */
const SAVE = `
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[3] == '0' then
  if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
  redis.call('SREM', KEYS[3], ARGV[1])
end
return true
`;

/**
 * Saves a pausing job unless its inbox holds an answer (see JobStore.parkUnlessAnswered); 1 if saved.
 * KEYS: job key, inbox key. ARGV: job JSON, since (ISO 8601), answering kinds as ",a,b,".
 */
const PARK_UNLESS_ANSWERED = `
for _, json in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local item = cjson.decode(json)
  if item.at >= ARGV[2] and string.find(ARGV[3], ',' .. item.kind .. ',', 1, true) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

/**
 * Remembers the delivery id and, only when it is new, records the request as unsettled.
 * KEYS: delivery key, unsettled hash. ARGV: delivery id, request JSON, retention seconds.
 */
const ACCEPT = `
if redis.call('SET', KEYS[1], '1', 'EX', ARGV[3], 'NX') then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  return 1
end
return 0
`;

/**
 * Job records and seen deliveries in Redis, visible to every receiver and worker process. One
 * active job per issue is kept by a Lua script, so it holds across processes.
 */
export class RedisState implements JobStore, DeliveryLog, JobInbox, TrajectoryStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  /** Trajectories expire on their own this long after their last update. */
  private readonly trajectorySeconds: number;

  constructor(redis: Redis, prefix = "issue-agent", trajectoryRetentionDays = 30) {
    this.redis = redis;
    this.prefix = prefix;
    this.trajectorySeconds = Math.max(1, Math.round(trajectoryRetentionDays * 86_400));
  }

  /**
   * Runs a script by its digest, sending its text only when Redis does not have it yet (after a
   * restart of Redis): a few hundred bytes less to write and parse on every webhook and save.
   */
  private async evalScript(lua: string, numberOfKeys: number, ...keysAndArgs: string[]): Promise<unknown> {
    let digest = SCRIPT_DIGESTS.get(lua);
    if (!digest) {
      digest = createHash("sha1").update(lua).digest("hex");
      SCRIPT_DIGESTS.set(lua, digest);
    }
    try {
      return await this.redis.evalsha(digest, numberOfKeys, ...keysAndArgs);
    } catch (error) {
      if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
      return await this.redis.eval(lua, numberOfKeys, ...keysAndArgs);
    }
  }

  private jobKey(id: string) {
    return `${this.prefix}:job:${id}`;
  }

  private activeKey(job: Job) {
    return `${this.prefix}:active:${issueKey(job.trigger)}`;
  }

  private get activeSet() {
    return `${this.prefix}:active-jobs`;
  }

  async createUnlessActive(job: Job) {
    const existing = (await this.evalScript(
      CREATE_UNLESS_ACTIVE,
      4,
      this.activeKey(job),
      this.jobKey(job.id),
      this.activeSet,
      `${this.prefix}:latest:${issueKey(job.trigger)}`,
      job.id,
      JSON.stringify(job),
      `${this.prefix}:job:`,
    )) as string | null;
    if (existing) return { created: false as const, active: JSON.parse(existing) as Job };
    return { created: true as const, job };
  }

  async get(id: string) {
    const record = await this.redis.get(this.jobKey(id));
    return record ? (JSON.parse(record) as Job) : undefined;
  }

  async save(job: Job) {
    await this.evalScript(
      SAVE,
      3,
      this.jobKey(job.id),
      this.activeKey(job),
      this.activeSet,
      job.id,
      JSON.stringify(job),
      isActive(job.state) ? "1" : "0",
    );
  }

  async parkUnlessAnswered(job: Job, since: string, kinds: ReadonlyArray<InboxItem["kind"]>) {
    const parked = await this.evalScript(
      PARK_UNLESS_ANSWERED,
      2,
      this.jobKey(job.id),
      this.inboxKey(job.id),
      JSON.stringify(job),
      since,
      `,${kinds.join(",")},`,
    );
    return parked === 1;
  }

  async listActive() {
    const ids = await this.redis.smembers(this.activeSet);
    const jobs = await Promise.all(ids.map((id) => this.get(id)));
    return jobs.filter((job): job is Job => job !== undefined && isActive(job.state));
  }

  private get unsettledHash() {
    return `${this.prefix}:unsettled`;
  }

  async accept(request: TriggerRequest): Promise<boolean> {
    const id = request.trigger.deliveryId;
    const result = await this.evalScript(
      ACCEPT,
      2,
      `${this.prefix}:delivery:${id}`,
      this.unsettledHash,
      id,
      JSON.stringify(request),
      String(DELIVERY_RETENTION_SECONDS),
    );
    return result === 1;
  }

  async settle(deliveryId: string): Promise<void> {
    await this.redis.hdel(this.unsettledHash, deliveryId);
  }

  async unsettled(receivedBefore: Date): Promise<TriggerRequest[]> {
    const all = Object.values(await this.redis.hgetall(this.unsettledHash)).map(
      (json) => JSON.parse(json) as TriggerRequest,
    );
    return all
      .filter((request) => new Date(request.receivedAt) < receivedBefore)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }

  async latestForIssue(issue: Pick<Job["trigger"], "owner" | "repo" | "issueNumber">) {
    const id = await this.redis.get(`${this.prefix}:latest:${issueKey(issue)}`);
    return id ? this.get(id) : undefined;
  }

  private inboxKey(jobId: string) {
    return `${this.prefix}:inbox:${jobId}`;
  }

  async post(jobId: string, item: InboxItem): Promise<void> {
    await this.redis
      .multi()
      .rpush(this.inboxKey(jobId), JSON.stringify(item))
      .expire(this.inboxKey(jobId), 7 * 86_400)
      .exec();
  }

  async take(jobId: string): Promise<InboxItem[]> {
    const results = await this.redis
      .multi()
      .lrange(this.inboxKey(jobId), 0, -1)
      .del(this.inboxKey(jobId))
      .exec();
    const items = (results?.[0]?.[1] ?? []) as string[];
    return items.map((json) => JSON.parse(json) as InboxItem);
  }

  private trajectoryKey(jobId: string) {
    return `${this.prefix}:trajectory:${jobId}`;
  }

  private recentKey(repository: string) {
    return `${this.prefix}:recent-trajectories:${repository.toLowerCase()}`;
  }

  async saveTrajectory(trajectory: Trajectory): Promise<void> {
    await this.redis
      .multi()
      .set(this.trajectoryKey(trajectory.jobId), JSON.stringify(trajectory), "EX", this.trajectorySeconds)
      .zadd(this.recentKey(trajectory.repository), Date.parse(trajectory.startedAt), trajectory.jobId)
      .expire(this.recentKey(trajectory.repository), this.trajectorySeconds)
      .exec();
  }

  async getTrajectory(jobId: string): Promise<Trajectory | undefined> {
    const record = await this.redis.get(this.trajectoryKey(jobId));
    return record ? (JSON.parse(record) as Trajectory) : undefined;
  }

  async recentTrajectories(repository: string, limit: number) {
    const ids = await this.redis.zrevrange(this.recentKey(repository), 0, limit - 1);
    const records = ids.length > 0 ? await this.redis.mget(ids.map((id) => this.trajectoryKey(id))) : [];
    // An expired trajectory leaves its id in the list; it is dropped when next seen.
    const expired = ids.filter((_, index) => !records[index]);
    if (expired.length > 0) await this.redis.zrem(this.recentKey(repository), ...expired);
    return records.flatMap((record) => (record ? [summaryOf(JSON.parse(record) as Trajectory)] : []));
  }

  /** Redis expires trajectories itself (see the constructor); nothing is left to prune. */
  async pruneTrajectories(_before: Date): Promise<number> {
    return 0;
  }
}
