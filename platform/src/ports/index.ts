export * from "./blob-store.js";
export * from "./repositories.js";
export * from "./job-queue.js";
export * from "./event-bus.js";
export * from "./publisher.js";
export * from "./identity.js";
export * from "./mailer.js";
export * from "./job-events.js";
