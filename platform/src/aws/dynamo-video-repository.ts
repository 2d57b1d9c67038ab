import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import {
  extractionOptionsSchema,
  VIDEO_TRANSITIONS,
  type NewVideo,
  type Page,
  type PageRequest,
  type Video,
  type VideoProbe,
  type VideoPatch,
  type VideoStatus,
} from "@vp/domain";
import type { VideoCondition, VideoRepository } from "../ports/repositories.js";
import {
  conditionalUpdate,
  createWithPointer,
  deleteKeys,
  getItem,
  queryPage,
  readPointer,
  type Item,
  type Key,
  type TableRef,
} from "./dynamo-support.js";
import {
  GSI_OWNER,
  GSI_OWNER_STATUS,
  jobsOfVideoPrefix,
  ownerIndexPk,
  ownerPk,
  ownerStatusIndexPk,
  pointerKey,
  timeKey,
  videoSk,
} from "./dynamo-table.js";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";

export interface DynamoRepositoryOptions extends TableRef {
  /** Unix milliseconds; injectable so tests control createdAt ordering. */
  readonly clock?: () => number;
}

export const toVideo = (i: Item): Video => ({
  id: i.id as string,
  ownerId: i.ownerId as string,
  filename: i.filename as string,
  contentType: i.contentType as string,
  sizeBytes: i.sizeBytes as number,
  status: i.status as VideoStatus,
  blobKey: i.blobKey as string,
  extraction: extractionOptionsSchema.parse(i.extraction),
  metadata: (i.metadata ?? null) as VideoProbe | null,
  rejectionReason: (i.rejectionReason ?? null) as string | null,
  createdAt: new Date(i.createdAt as number),
  updatedAt: new Date(i.updatedAt as number),
  version: i.version as number,
});

export class DynamoVideoRepository implements VideoRepository {
  private readonly clock: () => number;
  private readonly t: TableRef;

  constructor(options: DynamoRepositoryOptions) {
    this.t = { doc: options.doc, tableName: options.tableName };
    this.clock = options.clock ?? Date.now;
  }

  async create(video: NewVideo): Promise<Video> {
    const now = this.clock();
    const record: Video = {
      ...video,
      status: "AWAITING_UPLOAD",
      metadata: null,
      rejectionReason: null,
      createdAt: new Date(now),
      updatedAt: new Date(now),
      version: 1,
    };
    const sk = videoSk(video.id);
    await createWithPointer(
      this.t,
      "VIDEO",
      video.id,
      { ownerId: video.ownerId, sk },
      {
        pk: ownerPk(video.ownerId),
        sk,
        gsi1pk: ownerIndexPk(video.ownerId, "VIDEO"),
        gsi1sk: timeKey(now, video.id),
        gsi2pk: ownerStatusIndexPk(video.ownerId, "VIDEO", record.status),
        gsi2sk: timeKey(now, video.id),
        ...record,
        createdAt: now,
        updatedAt: now,
      },
    );
    return record;
  }

  async findById(id: string): Promise<Video | null> {
    const pointer = await readPointer(this.t, "VIDEO", id);
    return pointer === null ? null : this.findForOwner(pointer.ownerId, id);
  }

  async findForOwner(ownerId: string, id: string): Promise<Video | null> {
    const item = await getItem(this.t, { pk: ownerPk(ownerId), sk: videoSk(id) });
    return item === null ? null : toVideo(item);
  }

  async listForOwner(
    ownerId: string,
    query: PageRequest & { readonly status?: VideoStatus | null },
  ): Promise<Page<Video>> {
    const byStatus = query.status !== undefined && query.status !== null;
    const index = byStatus ? GSI_OWNER_STATUS : GSI_OWNER;
    const partition = byStatus ? ownerStatusIndexPk(ownerId, "VIDEO", query.status) : ownerIndexPk(ownerId, "VIDEO");
    return queryPage(this.t, {
      input: {
        IndexName: index,
        KeyConditionExpression: "#p = :p",
        ExpressionAttributeNames: { "#p": `${index}pk` },
        ExpressionAttributeValues: { ":p": partition },
      },
      first: query.first,
      after: query.after,
      keyNames: ["pk", "sk", `${index}pk`, `${index}sk`],
      belongs: (k) => k[`${index}pk`] === partition && k.pk === ownerPk(ownerId),
      map: toVideo,
    });
  }

  async update(id: string, when: VideoCondition, patch: VideoPatch): Promise<Video> {
    const pointer = await readPointer(this.t, "VIDEO", id);
    const set: Record<string, unknown> = {};
    if (patch.status !== undefined) {
      set.status = patch.status;
      if (pointer !== null) set.gsi2pk = ownerStatusIndexPk(pointer.ownerId, "VIDEO", patch.status);
    }
    if (patch.metadata !== undefined) set.metadata = patch.metadata;
    if (patch.rejectionReason !== undefined) set.rejectionReason = patch.rejectionReason;
    set.updatedAt = this.clock();
    const item = await conditionalUpdate(this.t, {
      kind: "video",
      id,
      // A missing pointer makes a key that matches nothing: the update explains itself as NOT_FOUND.
      key: pointer === null ? pointerKey("VIDEO", id) : { pk: ownerPk(pointer.ownerId), sk: pointer.sk },
      set,
      when,
      to: patch.status,
      table: VIDEO_TRANSITIONS,
    });
    return toVideo(item);
  }

  /**
   * One strongly consistent Query of the owner's partition (a video and its jobs sit there),
   * projecting only the two sizes: it reads every video and job item of the owner, which at the
   * scale a per-user quota allows (thousands of items) is a few pages.
   */
  async storedBytesForOwner(ownerId: string): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.t.doc().send(
        new QueryCommand({
          TableName: this.t.tableName,
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": ownerPk(ownerId) },
          ProjectionExpression: "sizeBytes, #result.archiveSizeBytes",
          ExpressionAttributeNames: { "#result": "result" },
          ConsistentRead: true,
          ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (typeof item.sizeBytes === "number") total += item.sizeBytes;
        const archive = (item.result as { archiveSizeBytes?: unknown } | undefined)?.archiveSizeBytes;
        if (typeof archive === "number") total += archive;
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return total;
  }

  async deleteForOwner(ownerId: string, id: string): Promise<boolean> {
    const res = await this.t.doc().send(
      new DeleteCommand({
        TableName: this.t.tableName,
        Key: { pk: ownerPk(ownerId), sk: videoSk(id) },
        ReturnValues: "ALL_OLD",
      }),
    );
    if (res.Attributes === undefined) return false;
    // The video is gone for every reader now; its jobs and the pointers follow.
    const keys: Key[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.t.doc().send(
        new QueryCommand({
          TableName: this.t.tableName,
          KeyConditionExpression: "pk = :p AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":p": ownerPk(ownerId), ":prefix": jobsOfVideoPrefix(id) },
          ProjectionExpression: "pk, sk, id",
          ConsistentRead: true,
          ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const job of page.Items ?? []) {
        keys.push({ pk: job.pk as string, sk: job.sk as string });
        keys.push(pointerKey("JOB", job.id as string));
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    keys.push(pointerKey("VIDEO", id));
    await deleteKeys(this.t, keys);
    return true;
  }
}
