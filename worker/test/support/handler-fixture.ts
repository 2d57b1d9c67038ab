import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import {
  extractionOptionsSchema,
  markUploaded,
  type ExtractionOptionsInput,
  type ExtractionRequested,
  type Job,
} from "@vp/domain";
import { createLocalPlatform, type LocalPlatform, type QueueMessage } from "@vp/platform";
import type { createExtractionHandler } from "../../src/runner/extraction-handler.js";

/** A real single-machine platform under `dir`. */
export const openPlatform = (dir: string): Promise<LocalPlatform> =>
  createLocalPlatform({
    dataDir: join(dir, "data"),
    publicUrl: () => "http://localhost:1",
    issuer: "urn:video-processor:test",
    accessTokenTtlSeconds: 3600,
    requireEmailConfirmation: false,
    mailFrom: "test <test@localhost>",
    jobMaxAttempts: 3,
  });

/** A small H.264 test pattern, made with ffmpeg. */
export async function makeVideo(dir: string, name: string, size: string, seconds: number): Promise<Buffer> {
  const file = join(dir, name);
  await promisify(execFile)("ffmpeg", [
    ...["-v", "error", "-f", "lavfi", "-i", `testsrc2=size=${size}:rate=10`, "-t", String(seconds)],
    ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", file],
  ]);
  return readFile(file);
}

/** What completeVideoUpload leaves: the bytes stored, the video PROCESSING, its first job QUEUED. */
export async function uploadedJob(
  platform: LocalPlatform,
  bytes: Buffer,
  options: ExtractionOptionsInput,
): Promise<Job> {
  const id = randomUUID();
  const extraction = extractionOptionsSchema.parse(options);
  const video = await platform.videos.create({
    id,
    ownerId: "owner",
    filename: "clip.mp4",
    contentType: "video/mp4",
    sizeBytes: bytes.length,
    blobKey: `owner/${id}/clip.mp4`,
    extraction,
  });
  await platform.blobs.videos.put(video.blobKey, bytes);
  const change = markUploaded(video);
  await platform.videos.update(video.id, change.when, change.patch);
  return platform.jobs.create({ id: randomUUID(), ownerId: "owner", videoId: id, options: extraction });
}

/** Hands the job's first delivery to the handler, expects an ack, and answers the job as it ended. */
export async function runOnce(
  handle: ReturnType<typeof createExtractionHandler>,
  platform: LocalPlatform,
  job: Job,
): Promise<Job> {
  const message: QueueMessage<ExtractionRequested> = {
    id: randomUUID(),
    receipt: randomUUID(),
    body: { jobId: job.id, videoId: job.videoId, ownerId: job.ownerId },
    attempts: 1,
    enqueuedAt: new Date(),
  };
  expect(await handle(message, { signal: new AbortController().signal })).toEqual({ kind: "ack" });
  return (await platform.jobs.findById(job.id))!;
}
