import type { Writable } from "node:stream";
import type { ExtractionErrorCode, ExtractionOptions, FieldProblem, VideoProbe } from "@vp/domain";

/** The probe's findings: the domain metadata plus what the engine needs to plan (the domain's VideoProbe). */
export type ProbeResult = VideoProbe;

export interface ManifestFrame {
  readonly file: string;
  readonly index: number;
  /** The time that was asked for (seconds), for timestamp-driven modes. */
  readonly requestedSeconds: number | null;
  /** The decoded frame's true presentation time (seconds). */
  readonly timestampSeconds: number;
}

export interface ExtractionProgress {
  /** 0..1, monotonic. */
  readonly progress: number;
  readonly framesExtracted: number;
}

export interface ExtractRequest {
  /** Local file to read; the only input ffmpeg is allowed to open. */
  readonly inputPath: string;
  readonly options: ExtractionOptions;
  /** Receives the ZIP archive (stored, not deflated) as it is produced. */
  readonly output: Writable;
  /** A probe already made (e.g. at upload completion) saves one ffprobe run. */
  readonly probe?: ProbeResult;
  readonly signal?: AbortSignal;
  /** Called at most a few times per second. */
  readonly onProgress?: (p: ExtractionProgress) => void;
  readonly limits: {
    readonly maxFrames: number;
    readonly timeoutSeconds: number;
    /** ffmpeg processes run at once; default: available cores. */
    readonly concurrency?: number;
    /**
     * The frame picker (engine/native/pick-frames.c) where it is built and the input suits it;
     * false: the ffmpeg command line alone (the reference the picker is tested against). @default true
     */
    readonly nativeDecode?: boolean;
    /** Accurate seeks one ffmpeg process answers at most (1: a process per target); default 16. */
    readonly seeksPerProcess?: number;
    /** Largest source width x height (SOURCE_TOO_LARGE, before any decoding). @default no limit */
    readonly maxSourcePixels?: number;
    /** Largest output frame width x height (INVALID_OPTIONS on width/height). @default no limit */
    readonly maxOutputPixels?: number;
    /** The archive's final size may not pass this (ARCHIVE_TOO_LARGE, nothing kept). @default no limit */
    readonly maxArchiveBytes?: number;
    /**
     * Seconds without a new frame reaching the archive before the job fails as STALLED (SCENES
     * excepted: a scene detector may legitimately decode minutes of video between cuts). @default no limit
     */
    readonly stallSeconds?: number;
  };
}

export interface ExtractResult {
  readonly frameCount: number;
  /** Which strategy the engine chose, recorded in the job result. */
  readonly strategy: string;
  /** ffmpeg processes the extraction started (not counting probes). */
  readonly ffmpegRuns: number;
  /** Fast-path processes (seek batches, keyframe spans) that failed and were redone by the plain path. */
  readonly fallbacks: number;
  /** Frame picker runs among ffmpegRuns (each feeding one encoding ffmpeg, counted too). */
  readonly pickerRuns: number;
  readonly frames: readonly ManifestFrame[];
  readonly probe: ProbeResult;
}

/** A classified failure: a stable code, words a user understands, and whether retrying can help. */
export class ExtractionError extends Error {
  override readonly name = "ExtractionError";
  constructor(
    readonly code: ExtractionErrorCode,
    message: string,
    readonly retryable: boolean,
    /** Bounded tail of ffmpeg's stderr, for the logs (never shown to users). */
    readonly diagnostics: string = "",
  ) {
    super(message);
  }
}

/** The plan is validated against the probe: timestamps beyond the duration, budgets over maxFrames. */
export type PlanValidation = { readonly ok: true } | { readonly ok: false; readonly problems: readonly FieldProblem[] };
