import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { JobDocument } from "../generated/graphql.js";
import type { Client, Job } from "../sdk/index.js";
import { JobFailedError } from "./exit-codes.js";
import { progressLine, renderBytesLine } from "./progress.js";
import { unzipInto } from "./safe-unzip.js";

export interface SavedArchive {
  /** The ZIP, or the directory it was unpacked into. */
  readonly path: string;
  readonly unpacked: boolean;
  readonly bytes: number;
  /** Files written when unpacked (frames and manifest.json). */
  readonly files?: number;
}

/** FILE.zip is kept as a ZIP; anything else is a directory to unpack into. No value: NAME-frames.zip here. */
async function destination(
  dest: string | undefined,
  filename: string | undefined,
  jobId: string,
): Promise<{ path: string; unpack: boolean }> {
  if (dest === undefined) {
    const base = filename ? path.basename(filename, path.extname(filename)) : `job-${jobId.slice(-8)}`;
    return { path: path.resolve(`${base.replace(/[^\w.-]+/g, "_")}-frames.zip`), unpack: false };
  }
  const resolved = path.resolve(dest);
  const existing = await stat(resolved).catch(() => null);
  if (existing?.isDirectory()) return { path: resolved, unpack: true };
  return { path: resolved, unpack: !/\.zip$/i.test(dest) };
}

/**
 * Downloads a succeeded job's ZIP (with a freshly minted link) to FILE.zip, or unpacks it into DIR
 * (safely: entries cannot escape DIR).
 */
export async function saveArchive(
  client: Client,
  jobId: string,
  dest: string | undefined,
  ui: { readonly stderr: NodeJS.WritableStream & { isTTY?: boolean }; readonly showProgress: boolean },
): Promise<SavedArchive> {
  const { job } = await client.request(JobDocument, { id: jobId });
  if (!job) throw new JobFailedError(`no job ${jobId}`);
  if (job.status !== "SUCCEEDED" || !job.result)
    throw new JobFailedError(
      `job ${jobId} is ${job.status}: there is no archive to download${job.status === "RUNNING" || job.status === "QUEUED" ? " yet (vproc watch " + jobId + ")" : ""}`,
    );
  const target = await destination(dest, job.video?.filename, jobId);
  const zipPath = target.unpack ? path.join(target.path, `.vproc-${process.pid}.zip`) : target.path;
  if (target.unpack) await mkdir(target.path, { recursive: true });
  const bar = progressLine(ui.stderr, ui.showProgress);
  const started = Date.now();
  try {
    const { bytes } = await client.download(job.result.downloadUrl, zipPath, {
      onProgress: (sent, total) => bar.update(renderBytesLine("download", sent, total, (Date.now() - started) / 1000)),
    });
    bar.update(renderBytesLine("download", bytes, bytes, (Date.now() - started) / 1000), true);
    bar.done();
    if (!target.unpack) return { path: target.path, unpacked: false, bytes };
    const files = await unzipInto(zipPath, target.path);
    return { path: target.path, unpacked: true, bytes, files: files.length };
  } finally {
    bar.done();
    if (target.unpack) await rm(zipPath, { force: true });
  }
}

/** Throws JobFailedError for a job that ended without frames. */
export function assertSucceeded(job: Job): void {
  if (job.status === "SUCCEEDED") return;
  const why = job.error ? `: ${job.error.message.replace(/\.$/, "")} (${job.error.code})` : "";
  throw new JobFailedError(`job ${job.id} ${job.status === "CANCELLED" ? "was cancelled" : "failed"}${why}`);
}
