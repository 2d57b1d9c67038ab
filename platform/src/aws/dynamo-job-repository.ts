import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import {
  extractionOptionsSchema,
  initialJob,
  JOB_TRANSITIONS,
  type Job,
  type JobError,
  type JobPatch,
  type JobResult,
  type JobStatus,
  type NewJob,
  type Page,
  type PageRequest,
} from "@vp/domain";
import type { JobCondition, JobCountQuery, JobRepository } from "../ports/repositories.js";
import {
  conditionalUpdate,
  createWithPointer,
  dateOrNull,
  getItem,
  msOrNull,
  queryPage,
  readPointer,
  type Item,
  type TableRef,
} from "./dynamo-support.js";
import { checkLimit } from "../shared/pagination.js";
import {
  GSI_OWNER,
  GSI_OWNER_STATUS,
  GSI_QUEUED,
  QUEUED_INDEX_PK,
  jobSk,
  jobsOfVideoPrefix,
  ownerIndexPk,
  ownerPk,
  ownerStatusIndexPk,
  pointerKey,
  timeKey,
} from "./dynamo-table.js";
import type { DynamoRepositoryOptions } from "./dynamo-video-repository.js";

export const toJob = (i: Item): Job => ({
  id: i.id as string,
  ownerId: i.ownerId as string,
  videoId: i.videoId as string,
  status: i.status as JobStatus,
  progress: i.progress as number,
  framesExtracted: i.framesExtracted as number,
  options: extractionOptionsSchema.parse(i.options),
  attempts: i.attempts as number,
  error: (i.error ?? null) as JobError | null,
  result: (i.result ?? null) as JobResult | null,
  createdAt: new Date(i.createdAt as number),
  startedAt: dateOrNull(i.startedAt),
  finishedAt: dateOrNull(i.finishedAt),
  updatedAt: new Date(i.updatedAt as number),
  version: i.version as number,
});

export class DynamoJobRepository implements JobRepository {
  private readonly clock: () => number;
  private readonly t: TableRef;

  constructor(options: DynamoRepositoryOptions) {
    this.t = { doc: options.doc, tableName: options.tableName };
    this.clock = options.clock ?? Date.now;
  }

  async create(job: NewJob): Promise<Job> {
    const now = this.clock();
    const record = initialJob(job, new Date(now));
    const sk = jobSk(job.videoId, now, job.id);
    await createWithPointer(
      this.t,
      "JOB",
      job.id,
      { ownerId: job.ownerId, sk },
      {
        pk: ownerPk(job.ownerId),
        sk,
        gsi1pk: ownerIndexPk(job.ownerId, "JOB"),
        gsi1sk: timeKey(now, job.id),
        gsi2pk: ownerStatusIndexPk(job.ownerId, "JOB", record.status),
        gsi2sk: timeKey(now, job.id),
        gsi3pk: QUEUED_INDEX_PK,
        gsi3sk: timeKey(now, job.id),
        ...record,
        createdAt: now,
        startedAt: null,
        finishedAt: null,
        updatedAt: now,
      },
    );
    return record;
  }

  async findById(id: string): Promise<Job | null> {
    const pointer = await readPointer(this.t, "JOB", id);
    if (pointer === null) return null;
    const item = await getItem(this.t, { pk: ownerPk(pointer.ownerId), sk: pointer.sk });
    return item === null ? null : toJob(item);
  }

  async findForOwner(ownerId: string, id: string): Promise<Job | null> {
    const pointer = await readPointer(this.t, "JOB", id);
    if (pointer === null || pointer.ownerId !== ownerId) return null;
    const item = await getItem(this.t, { pk: ownerPk(ownerId), sk: pointer.sk });
    return item === null ? null : toJob(item);
  }

  async listForOwner(
    ownerId: string,
    query: PageRequest & { readonly videoId?: string | null; readonly status?: JobStatus | null },
  ): Promise<Page<Job>> {
    const { videoId, status } = query;
    const base = { first: query.first, after: query.after, map: toJob };
    if (videoId !== undefined && videoId !== null) {
      // A video's jobs are one range of the owner's partition, newest last in sort order.
      const prefix = jobsOfVideoPrefix(videoId);
      const byStatus = status !== undefined && status !== null;
      return queryPage(this.t, {
        ...base,
        input: {
          KeyConditionExpression: "pk = :p AND begins_with(sk, :prefix)",
          ConsistentRead: true,
          ExpressionAttributeValues: {
            ":p": ownerPk(ownerId),
            ":prefix": prefix,
            ...(byStatus ? { ":s": status } : {}),
          },
          ...(byStatus ? { FilterExpression: "#status = :s", ExpressionAttributeNames: { "#status": "status" } } : {}),
        },
        keyNames: ["pk", "sk"],
        belongs: (k) => k.pk === ownerPk(ownerId) && k.sk!.startsWith(prefix),
      });
    }
    const byStatus = status !== undefined && status !== null;
    const index = byStatus ? GSI_OWNER_STATUS : GSI_OWNER;
    const partition = byStatus ? ownerStatusIndexPk(ownerId, "JOB", status) : ownerIndexPk(ownerId, "JOB");
    return queryPage(this.t, {
      ...base,
      input: {
        IndexName: index,
        KeyConditionExpression: "#p = :p",
        ExpressionAttributeNames: { "#p": `${index}pk` },
        ExpressionAttributeValues: { ":p": partition },
      },
      keyNames: ["pk", "sk", `${index}pk`, `${index}sk`],
      belongs: (k) => k[`${index}pk`] === partition && k.pk === ownerPk(ownerId),
    });
  }

  async latestForVideo(ownerId: string, videoId: string): Promise<Job | null> {
    const res = await this.t.doc().send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: "pk = :p AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":p": ownerPk(ownerId), ":prefix": jobsOfVideoPrefix(videoId) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = res.Items?.[0];
    return item === undefined ? null : toJob(item);
  }

  async listStaleQueued(query: { readonly updatedBefore: Date; readonly limit: number }): Promise<Job[]> {
    checkLimit(query.limit);
    const found: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.t.doc().send(
        new QueryCommand({
          TableName: this.t.tableName,
          IndexName: GSI_QUEUED,
          // "<ts15>#" sorts after every key of an earlier ms and before every key of that ms.
          KeyConditionExpression: "gsi3pk = :q AND gsi3sk < :before",
          ExpressionAttributeValues: { ":q": QUEUED_INDEX_PK, ":before": timeKey(query.updatedBefore.getTime(), "") },
          ScanIndexForward: true,
          Limit: query.limit - found.length,
          ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
        }),
      );
      found.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start !== undefined && found.length < query.limit);
    return found.slice(0, query.limit).map(toJob);
  }

  /**
   * Counted on the owner's index partitions with key conditions only (Select COUNT, no filter):
   * GSI2 per status, GSI1 for every status; `createdAfter` is a range on the sort key
   * (`<createdAt>#<id>`). The cost is the matching items, and the GSIs are eventually consistent
   * (a job written a moment ago may be missed: quotas may overshoot by a few).
   */
  async countForOwner(ownerId: string, query: JobCountQuery = {}): Promise<number> {
    const partitions =
      query.statuses === undefined
        ? [{ index: GSI_OWNER, pk: ownerIndexPk(ownerId, "JOB") }]
        : query.statuses.map((s) => ({ index: GSI_OWNER_STATUS, pk: ownerStatusIndexPk(ownerId, "JOB", s) }));
    let total = 0;
    for (const { index, pk } of partitions) {
      let start: Record<string, unknown> | undefined;
      do {
        const after = query.createdAfter;
        const res = await this.t.doc().send(
          new QueryCommand({
            TableName: this.t.tableName,
            IndexName: index,
            Select: "COUNT",
            // "<ts15>#" sorts before every key of that ms and after every key of an earlier one.
            KeyConditionExpression: after === undefined ? "#p = :p" : "#p = :p AND #s >= :after",
            ExpressionAttributeNames: {
              "#p": `${index}pk`,
              ...(after === undefined ? {} : { "#s": `${index}sk` }),
            },
            ExpressionAttributeValues: {
              ":p": pk,
              ...(after === undefined ? {} : { ":after": timeKey(after.getTime() + 1, "") }),
            },
            ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
          }),
        );
        total += res.Count ?? 0;
        start = res.LastEvaluatedKey;
      } while (start !== undefined);
    }
    return total;
  }

  async update(id: string, when: JobCondition, patch: JobPatch): Promise<Job> {
    const pointer = await readPointer(this.t, "JOB", id);
    const now = this.clock();
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    if (patch.status !== undefined) {
      set.status = patch.status;
      if (pointer !== null) set.gsi2pk = ownerStatusIndexPk(pointer.ownerId, "JOB", patch.status);
    }
    // The QUEUED index follows the status in this same write: entered (or re-sorted by updatedAt)
    // while QUEUED, left on any other status.
    if (patch.status === "QUEUED") {
      set.gsi3pk = QUEUED_INDEX_PK;
      set.gsi3sk = timeKey(now, id);
    } else if (patch.status !== undefined) {
      remove.push("gsi3pk", "gsi3sk");
    } else if (when.status === undefined || when.status.includes("QUEUED")) {
      // Status unchanged and possibly QUEUED: re-sort; harmless (unindexed) when it is not.
      set.gsi3sk = timeKey(now, id);
    }
    if (patch.progress !== undefined) set.progress = patch.progress;
    if (patch.framesExtracted !== undefined) set.framesExtracted = patch.framesExtracted;
    if (patch.attempts !== undefined) set.attempts = patch.attempts;
    if (patch.error !== undefined) set.error = patch.error;
    if (patch.result !== undefined) set.result = patch.result;
    if (patch.startedAt !== undefined) set.startedAt = msOrNull(patch.startedAt);
    if (patch.finishedAt !== undefined) set.finishedAt = msOrNull(patch.finishedAt);
    set.updatedAt = now;
    const item = await conditionalUpdate(this.t, {
      kind: "job",
      id,
      key: pointer === null ? pointerKey("JOB", id) : { pk: ownerPk(pointer.ownerId), sk: pointer.sk },
      set,
      remove,
      when,
      to: patch.status,
      table: JOB_TRANSITIONS,
    });
    return toJob(item);
  }
}
