import type { Job } from "../sdk/index.js";
import { formatBytes } from "./progress.js";

type JobLike = Job & { video?: { id: string; filename: string } | null };

/** One line per job for `list` and `watch`. */
export function jobLine(job: JobLike): string {
  const pct = `${Math.floor(job.progress * 100)}%`.padStart(4);
  const name = job.video?.filename ?? "(video deleted)";
  const tail = job.error
    ? `  ${job.error.code}: ${job.error.message}`
    : job.result
      ? `  ${formatBytes(job.result.archiveSizeBytes)}`
      : "";
  return `${job.id}  ${job.status.padEnd(9)} ${pct}  ${String(job.framesExtracted).padStart(5)} frames  ${name}${tail}`;
}

/** The details of one job for `status`. */
export function jobDetails(job: JobLike): string {
  const lines = [
    `job       ${job.id}`,
    `video     ${job.video ? `${job.video.filename} (${job.video.id})` : "(deleted)"}`,
    `status    ${job.status}${job.attempts > 1 ? ` (attempt ${job.attempts})` : ""}`,
    `progress  ${Math.floor(job.progress * 100)}%, ${job.framesExtracted} frames`,
    `created   ${job.createdAt}`,
  ];
  if (job.startedAt) lines.push(`started   ${job.startedAt}`);
  if (job.finishedAt) lines.push(`finished  ${job.finishedAt}`);
  if (job.error)
    lines.push(
      `error     ${job.error.code}: ${job.error.message}${job.error.retryable ? " (retryable: vproc retry " + job.id + ")" : ""}`,
    );
  if (job.result)
    lines.push(
      `result    ${job.result.frameCount} frames, ${formatBytes(job.result.archiveSizeBytes)} ZIP (vproc download ${job.id})`,
    );
  return lines.join("\n");
}
