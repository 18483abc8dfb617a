import type { Trajectory } from "./trajectory.ts";

/** A job in a repository's list of recent jobs. */
export type TrajectorySummary = Pick<
  Trajectory,
  "jobId" | "repository" | "issueNumber" | "issueTitle" | "state" | "startedAt" | "updatedAt"
>;

/**
 * Where trajectories are kept: beside the job records, in the same store (SQLite, or Redis when
 * scaling out), so any process can serve any job's page.
 */
export interface TrajectoryStore {
  saveTrajectory(trajectory: Trajectory): Promise<void>;
  getTrajectory(jobId: string): Promise<Trajectory | undefined>;
  /** The repository's most recent jobs, newest first. */
  recentTrajectories(repository: string, limit: number): Promise<TrajectorySummary[]>;
  /** Removes trajectories not updated since `before`; returns how many. */
  pruneTrajectories(before: Date): Promise<number>;
}

export function summaryOf(trajectory: Trajectory): TrajectorySummary {
  const { jobId, repository, issueNumber, issueTitle, state, startedAt, updatedAt } = trajectory;
  return { jobId, repository, issueNumber, issueTitle, state, startedAt, updatedAt };
}
