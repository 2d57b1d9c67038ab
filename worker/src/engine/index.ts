export { resolveFfmpeg, type FfmpegBinaries } from "./resolve-ffmpeg.js";
export { probe, type ProbeOptions } from "./probe.js";
export { validatePlan } from "./plan.js";
export { extract } from "./extract.js";
export * from "./types.js";
