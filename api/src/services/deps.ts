import type { ExtractionLimits, ExtractionOptions, VideoProbe } from "@vp/domain";
import type { Platform } from "@vp/platform";
import type { PlanValidation } from "@vp/engine";
import type { Logger } from "pino";

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
}

export interface ServiceDeps {
  readonly platform: Pick<Platform, "videos" | "jobs" | "blobs" | "extractionQueue" | "jobEvents">;
  readonly engine: ExtractionEngine;
  readonly limits: ServiceLimits;
  readonly logger: Logger;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** Upload targets stay valid this long. */
export const UPLOAD_EXPIRES_IN_SECONDS = 3600;
/** Download links of archives stay valid this long. */
export const DOWNLOAD_EXPIRES_IN_SECONDS = 900;
