import { isDomainError, markUploaded, newId, rejectVideo, type DomainError, type Job, type Video } from "@vp/domain";
import { SNIFF_BYTES } from "@vp/engine";
import type { CompletedUpload, UploadTarget as PortUploadTarget } from "@vp/platform";
import { UPLOAD_EXPIRES_IN_SECONDS, type ServiceDeps } from "./deps.js";
import { parseExtractionInput } from "./extraction-input.js";
import { blobKeySegment, normalizeVideoContentType, sanitizeFilename } from "./filename.js";
import { createAndQueueJob, enqueueJob, firstJobId, unreadableVideo } from "./job-lifecycle.js";
import { storageQuotaProblem } from "./quotas.js";
import { notFound, optionProblems, userError, type UserErrorData } from "./user-errors.js";

export interface CreateVideoUploadInput {
  readonly filename: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly extraction?: Readonly<Record<string, unknown>> | null;
}

export interface CreateVideoUploadResult {
  readonly video: Video | null;
  readonly upload: PortUploadTarget | null;
  readonly userErrors: UserErrorData[];
}

export interface CompleteVideoUploadInput {
  readonly videoId: string;
  /** The parts sent, when the upload target was multipart. */
  readonly multipart?: CompletedUpload | null;
}

export interface CompleteVideoUploadResult {
  readonly video: Video | null;
  readonly job: Job | null;
  readonly userErrors: UserErrorData[];
}

/** Validates everything at once (so a client can show every problem), then creates the record and a signed target. */
export async function createVideoUpload(
  deps: ServiceDeps,
  ownerId: string,
  input: CreateVideoUploadInput,
): Promise<CreateVideoUploadResult> {
  const userErrors: UserErrorData[] = [];
  const filename = sanitizeFilename(input.filename);
  if (filename === null)
    userErrors.push(userError("VALIDATION", "must contain at least one usable character", ["input", "filename"]));
  const contentType = normalizeVideoContentType(input.contentType);
  if (contentType === null)
    userErrors.push(
      userError("VALIDATION", "must be a video type (video/*) or application/octet-stream", ["input", "contentType"]),
    );
  const { maxUploadBytes, maxFrames } = deps.limits;
  if (!Number.isSafeInteger(input.sizeBytes) || input.sizeBytes < 1)
    userErrors.push(userError("VALIDATION", "must be a whole number of bytes, at least 1", ["input", "sizeBytes"]));
  else if (input.sizeBytes > maxUploadBytes)
    userErrors.push(
      userError("PAYLOAD_TOO_LARGE", `must be at most ${maxUploadBytes} bytes (the server's upload limit)`, [
        "input",
        "sizeBytes",
      ]),
    );
  const options = parseExtractionInput(input.extraction, maxFrames);
  if (!options.ok) userErrors.push(...optionProblems(options.problems, ["input", "extraction"]));
  if (userErrors.length > 0 || filename === null || contentType === null || !options.ok)
    return { video: null, upload: null, userErrors };
  const overQuota = await storageQuotaProblem(deps, ownerId, input.sizeBytes, ["input", "sizeBytes"]);
  if (overQuota) return { video: null, upload: null, userErrors: [overQuota] };

  const id = newId();
  const video = await deps.platform.videos.create({
    id,
    ownerId,
    filename,
    contentType,
    sizeBytes: input.sizeBytes,
    blobKey: `${ownerId}/${id}/${blobKeySegment(filename)}`,
    extraction: options.value,
  });
  const upload = await deps.platform.blobs.videos.createUploadTarget(video.blobKey, {
    contentType,
    sizeBytes: video.sizeBytes,
    expiresInSeconds: UPLOAD_EXPIRES_IN_SECONDS,
  });
  return { video, upload, userErrors: [] };
}

const VIDEO_ID_FIELD = ["input", "videoId"] as const;

const MULTIPART_FIELD = ["input", "multipart"] as const;

/**
 * Checks the bytes arrived whole, looks at their first kilobytes, and queues the first extraction:
 * the video is PROCESSING until the worker, the only role with ffmpeg, has probed it as that job's
 * first step (a file ffmpeg cannot read then ends as a FAILED job with a precise code, seen live,
 * and the video REJECTED). The API never copies the video: an upload that is plainly no video
 * (text, a playlist) is refused here from its head alone. Idempotent: a repeat answers the same
 * video and job (re-queueing a still-QUEUED job, which the queue dedupes). A multipart upload is
 * assembled first, unless a previous call already did (the blob is there with the declared size).
 */
export async function completeVideoUpload(
  deps: ServiceDeps,
  ownerId: string,
  input: CompleteVideoUploadInput,
  raceRetries = 2,
): Promise<CompleteVideoUploadResult> {
  const video = await deps.platform.videos.findForOwner(ownerId, input.videoId);
  if (video === null)
    return {
      video: null,
      job: null,
      userErrors: [notFound("video", VIDEO_ID_FIELD)],
    };
  if (video.status === "REJECTED")
    return {
      video,
      job: null,
      userErrors: [unreadableVideo(video.rejectionReason, VIDEO_ID_FIELD)],
    };
  if (video.status !== "AWAITING_UPLOAD") return ensureFirstJob(deps, video);

  if (input.multipart) {
    const existing = await deps.platform.blobs.videos.head(video.blobKey);
    if (existing === null || existing.sizeBytes !== video.sizeBytes) {
      try {
        await deps.platform.blobs.videos.completeUpload(video.blobKey, input.multipart);
      } catch (e) {
        const code = isDomainError(e) ? e.code : null;
        if (code !== "VALIDATION" && code !== "UPLOAD_MISSING" && code !== "SIZE_MISMATCH") throw e;
        const field = (e as DomainError).field ?? [];
        return {
          video,
          job: null,
          userErrors: [userError(code, (e as DomainError).message, [...MULTIPART_FIELD, ...field])],
        };
      }
    }
  }

  const head = await deps.platform.blobs.videos.head(video.blobKey);
  if (head === null)
    return {
      video,
      job: null,
      userErrors: [
        userError(
          "UPLOAD_MISSING",
          "No file has been uploaded for this video yet: send it to the upload URL first.",
          VIDEO_ID_FIELD,
        ),
      ],
    };
  if (head.sizeBytes !== video.sizeBytes)
    return {
      video,
      job: null,
      userErrors: [
        userError(
          "SIZE_MISMATCH",
          `The uploaded file has ${head.sizeBytes} bytes but ${video.sizeBytes} were declared.`,
          VIDEO_ID_FIELD,
        ),
      ],
    };

  const refused = deps.engine.classifyHead(await readHead(deps, video));
  const change = refused === null ? markUploaded(video) : rejectVideo(`The file is ${refused}: upload a video file.`);
  let updated: Video;
  try {
    updated = await deps.platform.videos.update(video.id, { ...change.when, version: video.version }, change.patch);
  } catch (e) {
    // A concurrent completion won the race: answer from the state it left.
    if (raceRetries > 0 && (isDomainError(e, "STALE_UPDATE") || isDomainError(e, "ILLEGAL_TRANSITION")))
      return completeVideoUpload(deps, ownerId, input, raceRetries - 1);
    throw e;
  }
  if (updated.status === "REJECTED")
    return {
      video: updated,
      job: null,
      userErrors: [unreadableVideo(updated.rejectionReason, VIDEO_ID_FIELD)],
    };
  return ensureFirstJob(deps, updated);
}

/** The first kilobytes of the upload, by a ranged read: never the whole file. */
async function readHead(deps: ServiceDeps, video: Video): Promise<Buffer> {
  const stream = await deps.platform.blobs.videos.get(video.blobKey, {
    range: { start: 0, end: Math.min(video.sizeBytes, SNIFF_BYTES) - 1 },
  });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).subarray(0, SNIFF_BYTES);
}

async function ensureFirstJob(deps: ServiceDeps, video: Video): Promise<CompleteVideoUploadResult> {
  const jobId = firstJobId(video.id);
  const existing = await deps.platform.jobs.findForOwner(video.ownerId, jobId);
  if (existing !== null) {
    if (existing.status === "QUEUED") await enqueueJob(deps, existing);
    return { video, job: existing, userErrors: [] };
  }
  // No job yet (first call, or a crash between the video's update and the job's creation).
  const { job, userErrors } = await createAndQueueJob(deps, video, video.extraction, jobId, ["input", "extraction"]);
  return { video, job, userErrors };
}
