import type { ExtractionOptions } from "./extraction-options.js";
import type { VideoMetadata } from "./media.js";

export const VIDEO_STATUSES = ["AWAITING_UPLOAD", "READY", "REJECTED"] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

/** AWAITING_UPLOAD -> READY once the bytes arrived and probe succeeded; -> REJECTED when ffmpeg cannot read them. */
export const VIDEO_TRANSITIONS: Readonly<Record<VideoStatus, readonly VideoStatus[]>> = {
  AWAITING_UPLOAD: ["READY", "REJECTED"],
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
  readonly metadata: VideoMetadata | null;
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
