/** The engine's one entry: what the API, the worker and the CLI use. */
export { resolveFfmpeg, type FfmpegBinaries } from "./ffmpeg/resolve-ffmpeg.js";
export { resolvePicker } from "./native/picker-binary.js";
export { probe, readProbe } from "./ffmpeg/probe.js";
export { checkSourcePixels, startProbe, type ProbeOptions, type StartedProbe } from "./ffmpeg/probe-start.js";
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
