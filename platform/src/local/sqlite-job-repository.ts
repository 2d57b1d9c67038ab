import type Database from "better-sqlite3";
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
import { type Assignment, date, conditionalUpdate, json, ms, parseJson } from "../shared/conditional-update.js";
import { afterClause, checkLimit, checkPageSize, toPage } from "../shared/pagination.js";
import { alreadyExists, isUniqueViolation } from "./sqlite-errors.js";
import type { SqliteRepositoryOptions } from "./sqlite-video-repository.js";

interface JobRow {
  id: string;
  owner_id: string;
  video_id: string;
  status: JobStatus;
  progress: number;
  frames_extracted: number;
  options: string;
  attempts: number;
  error: string | null;
  result: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
  version: number;
}

const toJob = (r: JobRow): Job => ({
  id: r.id,
  ownerId: r.owner_id,
  videoId: r.video_id,
  status: r.status,
  progress: r.progress,
  framesExtracted: r.frames_extracted,
  options: extractionOptionsSchema.parse(JSON.parse(r.options)),
  attempts: r.attempts,
  error: parseJson<JobError>(r.error),
  result: parseJson<JobResult>(r.result),
  createdAt: new Date(r.created_at),
  startedAt: date(r.started_at),
  finishedAt: date(r.finished_at),
  updatedAt: new Date(r.updated_at),
  version: r.version,
});

export class SqliteJobRepository implements JobRepository {
  private readonly clock: () => number;

  constructor(
    private readonly db: Database.Database,
    options: SqliteRepositoryOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async create(job: NewJob): Promise<Job> {
    const j = initialJob(job, new Date(this.clock()));
    try {
      const row = this.db
        .prepare(
          `INSERT INTO jobs (id, owner_id, video_id, status, progress, frames_extracted, options, attempts, error, result,
             created_at, started_at, finished_at, updated_at, version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, NULL, ?, ?) RETURNING *`,
        )
        .get(
          j.id,
          j.ownerId,
          j.videoId,
          j.status,
          j.progress,
          j.framesExtracted,
          JSON.stringify(j.options),
          j.attempts,
          j.createdAt.getTime(),
          j.updatedAt.getTime(),
          j.version,
        ) as JobRow;
      return toJob(row);
    } catch (e) {
      if (isUniqueViolation(e)) throw alreadyExists("job", job.id);
      throw e;
    }
  }

  async findById(id: string): Promise<Job | null> {
    const row = this.db.prepare("SELECT * FROM jobs WHERE id = ?").get(id) as JobRow | undefined;
    return row === undefined ? null : toJob(row);
  }

  async findForOwner(ownerId: string, id: string): Promise<Job | null> {
    const row = this.db.prepare("SELECT * FROM jobs WHERE id = ? AND owner_id = ?").get(id, ownerId) as
      JobRow | undefined;
    return row === undefined ? null : toJob(row);
  }

  async listForOwner(
    ownerId: string,
    query: PageRequest & {
      readonly videoId?: string | null;
      readonly status?: JobStatus | null;
    },
  ): Promise<Page<Job>> {
    checkPageSize(query.first);
    const after = afterClause(query.after);
    const params: Array<string | number> = [ownerId];
    let sql = "SELECT * FROM jobs WHERE owner_id = ?";
    if (query.videoId !== undefined && query.videoId !== null) {
      sql += " AND video_id = ?";
      params.push(query.videoId);
    }
    if (query.status !== undefined && query.status !== null) {
      sql += " AND status = ?";
      params.push(query.status);
    }
    sql += `${after.sql} ORDER BY created_at DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, ...after.params, query.first + 1) as JobRow[];
    return toPage(rows, query.first, (r) => ({ createdAt: r.created_at, id: r.id }), toJob);
  }

  async latestForVideo(ownerId: string, videoId: string): Promise<Job | null> {
    const row = this.db
      .prepare("SELECT * FROM jobs WHERE owner_id = ? AND video_id = ? ORDER BY created_at DESC, id DESC LIMIT 1")
      .get(ownerId, videoId) as JobRow | undefined;
    return row === undefined ? null : toJob(row);
  }

  async listStaleQueued(query: { readonly updatedBefore: Date; readonly limit: number }): Promise<Job[]> {
    checkLimit(query.limit);
    const rows = this.db
      .prepare("SELECT * FROM jobs WHERE status = 'QUEUED' AND updated_at < ? ORDER BY updated_at ASC, id ASC LIMIT ?")
      .all(query.updatedBefore.getTime(), query.limit) as JobRow[];
    return rows.map(toJob);
  }

  async countForOwner(ownerId: string, query: JobCountQuery = {}): Promise<number> {
    // jobs_owner_created (owner_id, created_at) answers the owner and the window.
    const params: Array<string | number> = [ownerId];
    let sql = "SELECT COUNT(*) AS n FROM jobs WHERE owner_id = ?";
    if (query.createdAfter !== undefined) {
      sql += " AND created_at > ?";
      params.push(query.createdAfter.getTime());
    }
    if (query.statuses !== undefined) {
      if (query.statuses.length === 0) return 0;
      sql += ` AND status IN (${query.statuses.map(() => "?").join(", ")})`;
      params.push(...query.statuses);
    }
    return (this.db.prepare(sql).get(...params) as { n: number }).n;
  }

  async update(id: string, when: JobCondition, patch: JobPatch): Promise<Job> {
    const set: Assignment[] = [];
    if (patch.status !== undefined) set.push({ column: "status", value: patch.status });
    if (patch.progress !== undefined) set.push({ column: "progress", value: patch.progress });
    if (patch.framesExtracted !== undefined) set.push({ column: "frames_extracted", value: patch.framesExtracted });
    if (patch.attempts !== undefined) set.push({ column: "attempts", value: patch.attempts });
    if (patch.error !== undefined) set.push({ column: "error", value: json(patch.error) });
    if (patch.result !== undefined) set.push({ column: "result", value: json(patch.result) });
    if (patch.startedAt !== undefined) set.push({ column: "started_at", value: ms(patch.startedAt) });
    if (patch.finishedAt !== undefined) set.push({ column: "finished_at", value: ms(patch.finishedAt) });
    set.push({ column: "updated_at", value: this.clock() });
    return toJob(
      conditionalUpdate<JobStatus, JobRow>({
        db: this.db,
        table: "jobs",
        kind: "job",
        id,
        set,
        when,
        to: patch.status,
        transitions: JOB_TRANSITIONS,
      }),
    );
  }
}
