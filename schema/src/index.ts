export * from "./domain/errors.js";
export * from "./domain/extraction-options.js";
export * from "./domain/media.js";
export * from "./domain/video.js";
export * from "./domain/job.js";
export * from "./domain/page.js";
export * from "./domain/ids.js";
export * from "./messages.js";
