import type { ExtractionOptions } from "./extraction-options.js";
import type { VideoProbe } from "./media.js";

export const VIDEO_STATUSES = ["AWAITING_UPLOAD", "PROCESSING", "READY", "REJECTED"] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

/**
 * AWAITING_UPLOAD -> PROCESSING once the bytes arrived whole (the API never reads more than their
 * first kilobytes) -> READY when the worker's probe succeeded, REJECTED when the file is not a
 * video. An upload whose first bytes are plainly not a video is REJECTED at once.
 */
export const VIDEO_TRANSITIONS: Readonly<Record<VideoStatus, readonly VideoStatus[]>> = {
  AWAITING_UPLOAD: ["PROCESSING", "REJECTED"],
  PROCESSING: ["READY", "REJECTED"],
  READY: [],
  REJECTED: [],
};

export interface Video {
  readonly id: string;
  readonly ownerId: string;
  readonly filename: string;
  readonly contentType: string;
  /** Size the client declared, and that the upload target enforces. */
  readonly sizeBytes: number;
  readonly status: VideoStatus;
  /** Key of the original in the videos BlobStore. */
  readonly blobKey: string;
  /** Options chosen at upload time, used by the first extraction job. */
  readonly extraction: ExtractionOptions;
  /** The worker's probe, once it ran (READY). */
  readonly metadata: VideoProbe | null;
  /** Why the video was rejected, in words a user understands. */
  readonly rejectionReason: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Incremented on every write; conditional updates compare it. */
  readonly version: number;
}

export type NewVideo = Pick<
  Video,
  "id" | "ownerId" | "filename" | "contentType" | "sizeBytes" | "blobKey" | "extraction"
>;

export type VideoPatch = Partial<Pick<Video, "status" | "metadata" | "rejectionReason">>;

export interface VideoCondition {
  readonly status?: readonly VideoStatus[];
  readonly version?: number;
}

export interface VideoChange {
  readonly when: VideoCondition;
  readonly patch: VideoPatch;
}

/** The bytes arrived whole: the worker probes them as the first step of the first job. */
export const markUploaded = (video: Pick<Video, "version">): VideoChange => ({
  when: { status: ["AWAITING_UPLOAD"], version: video.version },
  patch: { status: "PROCESSING" },
});

/** The probe read the file: it is stored once, for every later step. */
export const acceptProbe = (probe: VideoProbe): VideoChange => ({
  when: { status: ["PROCESSING"] },
  patch: { status: "READY", metadata: probe, rejectionReason: null },
});

/** Not a video: `reason` is shown to the user as it is. */
export const rejectVideo = (reason: string): VideoChange => ({
  when: { status: ["AWAITING_UPLOAD", "PROCESSING"] },
  patch: { status: "REJECTED", rejectionReason: reason },
});
