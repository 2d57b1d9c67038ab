import { MyJobsDocument, ViewerVideosDocument, type JobStatus, type VideoStatus } from "../../generated/graphql.js";
import { jobLine } from "../format.js";
import { EXIT, UsageError } from "../io.js";
import { COMMON_HELP, serverCommand, str } from "../server-command.js";

const JOB_STATUSES: readonly JobStatus[] = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"];
const VIDEO_STATUSES: readonly VideoStatus[] = ["AWAITING_UPLOAD", "PROCESSING", "READY", "REJECTED"];

const pick = <T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
  if (value === undefined) return undefined;
  const up = value.toUpperCase().replace(/-/g, "_") as T;
  if (!allowed.includes(up))
    throw new UsageError(`${flag} must be one of ${allowed.map((s) => s.toLowerCase()).join(", ")} (got "${value}")`);
  return up;
};

export const listCommand = serverCommand({
  name: "list",
  summary: "list your jobs (or --videos), newest first",
  usage: `vproc list [--status S] [--limit N] [--videos]

Lists your extraction jobs, newest first: id, status, progress, frames, video.

Options:
  --status S    only jobs in this status: queued, running, succeeded, failed, cancelled
                (with --videos: awaiting_upload, ready, rejected)
  --limit N     at most N (1-100, default 20)
  --videos      list videos instead of jobs
${COMMON_HELP}

Examples:
  vproc list
  vproc list --status failed
  vproc list --videos --json`,
  options: { status: { type: "string" }, limit: { type: "string" }, videos: { type: "boolean" } },
  positionals: [0, 0],
  async run({ values, session, print }) {
    const limit = Number(str(values, "limit") ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new UsageError("--limit must be a whole number from 1 to 100");
    if (values.videos) {
      const status = pick("--status", str(values, "status"), VIDEO_STATUSES);
      const client = await session.authenticated();
      const { viewer } = await client.request(ViewerVideosDocument, { first: limit, status: status ?? null });
      const videos = viewer.videos.edges.map((e) => e.node);
      print(
        videos.length ? videos.map((v) => `${v.id}  ${v.status.padEnd(15)} ${v.filename}`).join("\n") : "No videos.",
        { ok: true, videos },
      );
      return EXIT.OK;
    }
    const status = pick("--status", str(values, "status"), JOB_STATUSES);
    const client = await session.authenticated();
    const { viewer } = await client.request(MyJobsDocument, { first: limit, status: status ?? null });
    const jobs = viewer.jobs.nodes;
    const more = viewer.jobs.pageInfo.hasNextPage ? `\n(more: raise --limit, up to 100)` : "";
    print(
      jobs.length
        ? jobs.map(jobLine).join("\n") + more
        : status
          ? `No ${status.toLowerCase()} jobs.`
          : "No jobs yet: vproc upload VIDEO",
      {
        ok: true,
        jobs,
        hasMore: viewer.jobs.pageInfo.hasNextPage,
      },
    );
    return EXIT.OK;
  },
});
