import { fromJobSnapshot, jobChannel, jobEventSchema, ownerChannel, type Job } from "@vp/domain";
import type { EventBus } from "@vp/platform";
import type { Logger } from "pino";
import { filterMap, openChannel } from "./channel-iterator.js";

/**
 * Job news for one subscriber: parsed at the edge, only the owner's jobs, and never backwards:
 * an event whose version is not newer than the last one delivered for that job is dropped
 * (the bus delivers at least once and may reorder across processes).
 */
function freshJobsOnly(ownerId: string, logger: Logger, seen: Map<string, number>) {
  return (payload: unknown): Job | undefined => {
    const parsed = jobEventSchema.safeParse(payload);
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.slice(0, 3) }, "dropped a malformed job event");
      return undefined;
    }
    const { job } = parsed.data;
    if (job.ownerId !== ownerId) return undefined;
    const last = seen.get(job.id);
    if (last !== undefined && job.version <= last) return undefined;
    seen.set(job.id, job.version);
    return fromJobSnapshot(job);
  };
}

/**
 * One job's updates. Subscribes first, then reads the current state (`loadCurrent`) and
 * delivers it as the first item, so a subscriber never misses a change made in between;
 * answers null (and subscribes to nothing) when the job is not the owner's.
 */
export async function jobUpdates(
  bus: EventBus,
  input: {
    readonly ownerId: string;
    readonly jobId: string;
    readonly logger: Logger;
    readonly loadCurrent: () => Promise<Job | null>;
  },
): Promise<AsyncIterableIterator<Job> | null> {
  const channel = await openChannel(bus, jobChannel(input.jobId));
  let current: Job | null;
  try {
    current = await input.loadCurrent();
  } catch (e) {
    await channel.return?.();
    throw e;
  }
  if (current === null || current.ownerId !== input.ownerId) {
    await channel.return?.();
    return null;
  }
  const seen = new Map([[current.id, current.version]]);
  return filterMap(channel, freshJobsOnly(input.ownerId, input.logger, seen), [current]);
}

/**
 * Every job of one owner, from now on; with `loadRecent`, first the current state of the jobs it
 * returns (oldest change first), so a client that re-subscribes after a dropped connection learns
 * what changed in between. Subscribes before reading, as jobUpdates does.
 */
export async function ownerJobUpdates(
  bus: EventBus,
  input: { readonly ownerId: string; readonly logger: Logger; readonly loadRecent?: () => Promise<readonly Job[]> },
): Promise<AsyncIterableIterator<Job>> {
  const channel = await openChannel(bus, ownerChannel(input.ownerId));
  let recent: Job[];
  try {
    recent = [...((await input.loadRecent?.()) ?? [])]
      .filter((j) => j.ownerId === input.ownerId)
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
  } catch (e) {
    await channel.return?.();
    throw e;
  }
  const seen = new Map(recent.map((j) => [j.id, j.version]));
  return filterMap(channel, freshJobsOnly(input.ownerId, input.logger, seen), recent);
}
