/** type-graphql types of the public API. Import "reflect-metadata" before this module. */
export * from "./enums.js";
export * from "./scalars.js";
export * from "./node.interface.js";
export * from "./page-info.type.js";
export * from "./connection.type.js";
export * from "./user-error.type.js";
export * from "./extraction-options.input.js";
export * from "./extraction-options.type.js";
export * from "./video.type.js";
export * from "./job.type.js";
export * from "./user.type.js";
export * from "./upload-target.type.js";
export * from "./mutation.inputs.js";
export * from "./mutation.payloads.js";
export * from "./list-args.type.js";
