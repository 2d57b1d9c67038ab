/** The engine's one entry: what the API, the worker and the CLI use. */
export { resolveFfmpeg, type FfmpegBinaries } from "./ffmpeg/resolve-ffmpeg.js";
export { checkSourcePixels, probe, type ProbeOptions } from "./ffmpeg/probe.js";
export { outputPixelsProblem, validatePlan } from "./sampling/validate-plan.js";
export { extract } from "./extract.js";
// Pure: the API sniffs an upload's first kilobytes with it (it never runs ffmpeg).
export { classifyHead, SNIFF_BYTES } from "./ffmpeg/sniff.js";
export {
  ExtractionError,
  type ExtractionProgress,
  type ExtractRequest,
  type ExtractResult,
  type ManifestFrame,
  type PlanValidation,
  type ProbeResult,
} from "./types.js";
