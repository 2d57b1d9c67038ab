import type { ExtractionLimits, ExtractionOptions } from "@vp/domain";
import type { Platform } from "@vp/platform";
import type { PlanValidation, ProbeResult } from "@vp/engine";
import type { Logger } from "pino";

/** The parts of the extraction engine the API needs: probing uploads and checking a plan against them. */
export interface ExtractionEngine {
  probe(path: string): Promise<ProbeResult>;
  validatePlan(options: ExtractionOptions, probe: ProbeResult, limits: ExtractionLimits): PlanValidation;
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
