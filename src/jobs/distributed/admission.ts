import type { Redis } from "ioredis";

/**
 * Admits a job to run on its repository if fewer than `limit` jobs hold a live lease there.
 * Leases expire, so a crashed worker's slot frees itself.
 * KEYS: lease set. ARGV: job id, now, lease expiry, limit.
 */
const ADMIT_REPOSITORY = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  redis.call('PEXPIREAT', KEYS[1], ARGV[3])
  return 1
end
return 0
`;

/**
 * Counts a job start against its installation's hourly budget; refuses (and uncounts) it over the
 * limit. A job is counted once, however often it is retried. KEYS: window counter, counted set.
 * ARGV: job id, limit, window expiry (seconds).
 */
const ADMIT_INSTALLATION = `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 1 end
local used = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if used > tonumber(ARGV[2]) then
  redis.call('DECR', KEYS[1])
  return 0
end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
`;

const HOUR_MS = 3_600_000;

export interface AdmissionLimits {
  /** Jobs running at once on one repository, across all workers. */
  repositoryConcurrency: number;
  /** Jobs started per hour for one installation. */
  installationJobsPerHour: number;
  leaseMs: number;
}

export type Admission =
  { admitted: true; release: () => Promise<void> } | { admitted: false; retryAt: number; reason: string };

export async function admit(
  redis: Redis,
  prefix: string,
  job: { id: string; repository: string; installationId: number | undefined },
  limits: AdmissionLimits,
): Promise<Admission> {
  const now = Date.now();
  const window = Math.floor(now / HOUR_MS);
  const installation = job.installationId ?? "none";
  const withinRate = await redis.eval(
    ADMIT_INSTALLATION,
    2,
    `${prefix}:rate:${installation}:${window}`,
    `${prefix}:rate-counted:${installation}:${window}`,
    job.id,
    limits.installationJobsPerHour,
    7_200,
  );
  if (withinRate !== 1) {
    return {
      admitted: false,
      retryAt: (window + 1) * HOUR_MS,
      reason: `installation ${installation} reached ${limits.installationJobsPerHour} jobs this hour`,
    };
  }
  const leaseKey = `${prefix}:running:${job.repository.toLowerCase()}`;
  const lease = () =>
    redis.eval(
      ADMIT_REPOSITORY,
      1,
      leaseKey,
      job.id,
      Date.now(),
      Date.now() + limits.leaseMs,
      limits.repositoryConcurrency,
    );
  if ((await lease()) !== 1) {
    return {
      admitted: false,
      retryAt: now + 5_000,
      reason: `${job.repository} already runs ${limits.repositoryConcurrency} job(s)`,
    };
  }
  // Renew the lease while the job runs; it lapses on its own if this worker dies.
  const renew = setInterval(() => void lease().catch(() => undefined), Math.max(1_000, limits.leaseMs / 3));
  return {
    admitted: true,
    release: async () => {
      clearInterval(renew);
      await redis.zrem(leaseKey, job.id);
    },
  };
}
