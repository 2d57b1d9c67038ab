export * from "./templates.js";
export * from "./job-notifier.js";
export * from "./sqs.js";
