import type { ServiceDeps } from "./deps.js";
import { userError, type UserErrorData } from "./user-errors.js";

/**
 * Per-user quotas, checked where work or storage is asked for. Each is a count or a sum read just
 * before the write, not a lock: concurrent requests of one user may overshoot a limit by as many
 * requests as run at once (and by a DynamoDB index's lag), which bounds abuse without coordination.
 */

const HOUR_MS = 3600_000;

/** "21474836480 bytes (20 GiB)": the exact figure, and a readable one when it is large. */
const bytes = (n: number): string =>
  n >= 1024 ** 3
    ? `${n} bytes (${+(n / 1024 ** 3).toFixed(2)} GiB)`
    : n >= 1024 ** 2
      ? `${n} bytes (${+(n / 1024 ** 2).toFixed(1)} MiB)`
      : `${n} bytes`;

/** Another job for `ownerId` (a new one or a retry): the live-jobs, jobs-per-hour and storage limits. */
export async function jobQuotaProblem(deps: ServiceDeps, ownerId: string): Promise<UserErrorData | null> {
  const q = deps.limits.quotas;
  if (!q) return null;
  const jobs = deps.platform.jobs;
  const live = await jobs.countForOwner(ownerId, { statuses: ["QUEUED", "RUNNING"] });
  if (live >= q.maxLiveJobs)
    return userError(
      "QUOTA_EXCEEDED",
      `You have ${live} jobs queued or running: the limit is ${q.maxLiveJobs} at once per user. Wait for one to finish, or cancel one.`,
    );
  const now = (deps.now ?? (() => new Date()))();
  const lastHour = await jobs.countForOwner(ownerId, { createdAfter: new Date(now.getTime() - HOUR_MS) });
  if (lastHour >= q.maxJobsPerHour)
    return userError(
      "QUOTA_EXCEEDED",
      `You created ${lastHour} jobs in the last hour: the limit is ${q.maxJobsPerHour} jobs per user per rolling hour. Try again later.`,
    );
  const stored = await deps.platform.videos.storedBytesForOwner(ownerId);
  if (stored > q.maxStoredBytes)
    return userError(
      "QUOTA_EXCEEDED",
      `You store ${bytes(stored)} of videos and archives, more than the limit of ${bytes(q.maxStoredBytes)} per user. Delete videos you no longer need first.`,
    );
  return null;
}

/** A new upload of `sizeBytes` for `ownerId`: refused when it would take their storage past the limit. */
export async function storageQuotaProblem(
  deps: ServiceDeps,
  ownerId: string,
  sizeBytes: number,
  field: readonly string[],
): Promise<UserErrorData | null> {
  const q = deps.limits.quotas;
  if (!q) return null;
  const stored = await deps.platform.videos.storedBytesForOwner(ownerId);
  if (stored + sizeBytes <= q.maxStoredBytes) return null;
  return userError(
    "QUOTA_EXCEEDED",
    `Storing ${sizeBytes} more bytes would bring your videos and archives to ${bytes(stored + sizeBytes)}, more than the limit of ${bytes(q.maxStoredBytes)} per user. Delete videos you no longer need first.`,
    field,
  );
}
