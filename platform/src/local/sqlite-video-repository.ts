import type Database from "better-sqlite3";
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
import { type Assignment, conditionalUpdate, json, parseJson } from "../shared/conditional-update.js";
import { afterClause, checkPageSize, toPage } from "../shared/pagination.js";
import { alreadyExists, isUniqueViolation } from "./sqlite-errors.js";

interface VideoRow {
  id: string;
  owner_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  status: VideoStatus;
  blob_key: string;
  extraction: string;
  metadata: string | null;
  rejection_reason: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

const toVideo = (r: VideoRow): Video => ({
  id: r.id,
  ownerId: r.owner_id,
  filename: r.filename,
  contentType: r.content_type,
  sizeBytes: r.size_bytes,
  status: r.status,
  blobKey: r.blob_key,
  extraction: extractionOptionsSchema.parse(JSON.parse(r.extraction)),
  metadata: parseJson<VideoProbe>(r.metadata),
  rejectionReason: r.rejection_reason,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  version: r.version,
});

export interface SqliteRepositoryOptions {
  /** Unix milliseconds; injectable so tests control createdAt ordering. */
  readonly clock?: () => number;
}

export class SqliteVideoRepository implements VideoRepository {
  private readonly clock: () => number;

  constructor(
    private readonly db: Database.Database,
    options: SqliteRepositoryOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async create(video: NewVideo): Promise<Video> {
    const now = this.clock();
    try {
      const row = this.db
        .prepare(
          `INSERT INTO videos (id, owner_id, filename, content_type, size_bytes, status, blob_key, extraction,
             metadata, rejection_reason, created_at, updated_at, version)
           VALUES (?, ?, ?, ?, ?, 'AWAITING_UPLOAD', ?, ?, NULL, NULL, ?, ?, 1) RETURNING *`,
        )
        .get(
          video.id,
          video.ownerId,
          video.filename,
          video.contentType,
          video.sizeBytes,
          video.blobKey,
          JSON.stringify(video.extraction),
          now,
          now,
        ) as VideoRow;
      return toVideo(row);
    } catch (e) {
      if (isUniqueViolation(e)) throw alreadyExists("video", video.id);
      throw e;
    }
  }

  async findById(id: string): Promise<Video | null> {
    const row = this.db.prepare("SELECT * FROM videos WHERE id = ?").get(id) as VideoRow | undefined;
    return row === undefined ? null : toVideo(row);
  }

  async findForOwner(ownerId: string, id: string): Promise<Video | null> {
    const row = this.db.prepare("SELECT * FROM videos WHERE id = ? AND owner_id = ?").get(id, ownerId) as
      VideoRow | undefined;
    return row === undefined ? null : toVideo(row);
  }

  async listForOwner(
    ownerId: string,
    query: PageRequest & { readonly status?: VideoStatus | null },
  ): Promise<Page<Video>> {
    checkPageSize(query.first);
    const after = afterClause(query.after);
    const params: Array<string | number> = [ownerId];
    let sql = "SELECT * FROM videos WHERE owner_id = ?";
    if (query.status !== undefined && query.status !== null) {
      sql += " AND status = ?";
      params.push(query.status);
    }
    sql += `${after.sql} ORDER BY created_at DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, ...after.params, query.first + 1) as VideoRow[];
    return toPage(rows, query.first, (r) => ({ createdAt: r.created_at, id: r.id }), toVideo);
  }

  async update(id: string, when: VideoCondition, patch: VideoPatch): Promise<Video> {
    const set: Assignment[] = [];
    if (patch.status !== undefined) set.push({ column: "status", value: patch.status });
    if (patch.metadata !== undefined) set.push({ column: "metadata", value: json(patch.metadata) });
    if (patch.rejectionReason !== undefined) set.push({ column: "rejection_reason", value: patch.rejectionReason });
    set.push({ column: "updated_at", value: this.clock() });
    return toVideo(
      conditionalUpdate<VideoStatus, VideoRow>({
        db: this.db,
        table: "videos",
        kind: "video",
        id,
        set,
        when,
        to: patch.status,
        transitions: VIDEO_TRANSITIONS,
      }),
    );
  }

  async storedBytesForOwner(ownerId: string): Promise<number> {
    const row = this.db
      .prepare(
        `SELECT (SELECT COALESCE(SUM(size_bytes), 0) FROM videos WHERE owner_id = ?)
              + (SELECT COALESCE(SUM(json_extract(result, '$.archiveSizeBytes')), 0) FROM jobs
                 WHERE owner_id = ? AND result IS NOT NULL) AS n`,
      )
      .get(ownerId, ownerId) as { n: number };
    return row.n;
  }

  async deleteForOwner(ownerId: string, id: string): Promise<boolean> {
    const remove = this.db.transaction(() => {
      const gone = this.db.prepare("DELETE FROM videos WHERE id = ? AND owner_id = ?").run(id, ownerId).changes > 0;
      if (gone) this.db.prepare("DELETE FROM jobs WHERE video_id = ? AND owner_id = ?").run(id, ownerId);
      return gone;
    });
    return remove.immediate();
  }
}
