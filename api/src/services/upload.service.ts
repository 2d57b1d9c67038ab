import { isDomainError, newId, type DomainError, type Job, type Video } from "@vp/domain";
import type { CompletedUpload, UploadTarget as PortUploadTarget } from "@vp/platform";
import { UPLOAD_EXPIRES_IN_SECONDS, type ServiceDeps } from "./deps.js";
import { parseExtractionInput } from "./extraction-input.js";
import { blobKeySegment, normalizeVideoContentType, sanitizeFilename } from "./filename.js";
import {
  createAndQueueJob,
  enqueueJob,
  firstJobId,
  probeVideo,
  unreadableVideo,
  type ProbeOutcome,
} from "./job-lifecycle.js";
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
 * Checks the bytes arrived whole, probes them and queues the first extraction. Idempotent:
 * a repeat answers the same video and job (re-queueing a still-QUEUED job, which the queue dedupes).
 * A multipart upload is assembled first, unless a previous call already did (the blob is there
 * with the declared size).
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
  if (video.status === "READY") return ensureFirstJob(deps, video, null);

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

  const probed = await probeVideo(deps, video);
  let updated: Video;
  try {
    updated = await deps.platform.videos.update(
      video.id,
      { status: ["AWAITING_UPLOAD"], version: video.version },
      probed.ok
        ? {
            status: "READY",
            metadata: stripProbe(probed),
            rejectionReason: null,
          }
        : { status: "REJECTED", rejectionReason: probed.reason },
    );
  } catch (e) {
    // A concurrent completion won the race: answer from the state it left.
    if (raceRetries > 0 && (isDomainError(e, "STALE_UPDATE") || isDomainError(e, "ILLEGAL_TRANSITION")))
      return completeVideoUpload(deps, ownerId, input, raceRetries - 1);
    throw e;
  }
  if (!probed.ok)
    return {
      video: updated,
      job: null,
      userErrors: [unreadableVideo(probed.reason, VIDEO_ID_FIELD)],
    };
  return ensureFirstJob(deps, updated, probed);
}

function stripProbe(probed: Extract<ProbeOutcome, { ok: true }>): Video["metadata"] {
  const p = probed.probe;
  return {
    durationSeconds: p.durationSeconds,
    width: p.width,
    height: p.height,
    frameRate: p.frameRate,
    videoCodec: p.videoCodec,
    rotation: p.rotation,
    hasAudio: p.hasAudio,
    formatName: p.formatName,
  };
}

async function ensureFirstJob(
  deps: ServiceDeps,
  video: Video,
  probed: ProbeOutcome | null,
): Promise<CompleteVideoUploadResult> {
  const jobId = firstJobId(video.id);
  const existing = await deps.platform.jobs.findForOwner(video.ownerId, jobId);
  if (existing !== null) {
    if (existing.status === "QUEUED") await enqueueJob(deps, existing);
    return { video, job: existing, userErrors: [] };
  }
  // READY without a job: the plan was refused earlier (or queueing failed); check again.
  const outcome = probed ?? (await probeVideo(deps, video));
  if (!outcome.ok)
    return {
      video,
      job: null,
      userErrors: [unreadableVideo(outcome.reason, VIDEO_ID_FIELD)],
    };
  const { job, userErrors } = await createAndQueueJob(deps, video, video.extraction, outcome.probe, jobId, [
    "input",
    "extraction",
  ]);
  return { video, job, userErrors };
}
