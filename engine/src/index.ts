export { resolveFfmpeg, type FfmpegBinaries } from "./ffmpeg/resolve-ffmpeg.js";
export { probe, type ProbeOptions } from "./ffmpeg/probe.js";
export { validatePlan } from "./sampling/plan.js";
export { extract } from "./extract.js";
export * from "./types.js";
