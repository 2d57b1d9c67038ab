import type { ExtractionLimits, ExtractionOptions, VideoProbe } from "@vp/domain";
import type { Platform } from "@vp/platform";
import type { PlanValidation } from "@vp/engine";
import type { Logger } from "pino";
import type { FrameArchive } from "../frames/frame-archive.js";

/**
 * The pure parts of the extraction engine the API needs: checking a plan against a stored probe
 * and recognising at a glance an upload that is no video. The API never runs ffmpeg.
 */
export interface ExtractionEngine {
  validatePlan(options: ExtractionOptions, probe: VideoProbe, limits: ExtractionLimits): PlanValidation;
  /** Why the first bytes of a file are refused (a text file, a playlist), or null when they may be a video. */
  classifyHead(head: Buffer): string | null;
}

export interface ServiceLimits {
  /** config.VP_MAX_UPLOAD_BYTES */
  readonly maxUploadBytes: number;
  /** config.VP_MAX_FRAMES */
  readonly maxFrames: number;
  /** config.VP_MAX_OUTPUT_PIXELS; absent: no limit. */
  readonly maxOutputPixels?: number;
  /** Per-user quotas; absent: none. */
  readonly quotas?: UserQuotas;
}

/** Bounded work and storage per user, each refused as QUOTA_EXCEEDED naming the limit. */
export interface UserQuotas {
  /** config.VP_MAX_LIVE_JOBS_PER_USER: jobs QUEUED or RUNNING at once. */
  readonly maxLiveJobs: number;
  /** config.VP_MAX_JOBS_PER_USER_PER_HOUR: jobs created in any rolling hour. */
  readonly maxJobsPerHour: number;
  /** config.VP_MAX_STORED_BYTES_PER_USER: videos' declared sizes plus archives. */
  readonly maxStoredBytes: number;
}

export interface ServiceDeps {
  readonly platform: Pick<
    Platform,
    "videos" | "jobs" | "blobs" | "extractionQueue" | "jobEvents" | "events" | "webhooks"
  >;
  readonly engine: ExtractionEngine;
  readonly limits: ServiceLimits;
  readonly logger: Logger;
  /** Frames served out of the stored archives, with their signed URLs. */
  readonly frames: FrameArchive;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** Upload targets stay valid this long. */
export const UPLOAD_EXPIRES_IN_SECONDS = 3600;
/** Download links of archives stay valid this long. */
export const DOWNLOAD_EXPIRES_IN_SECONDS = 900;
