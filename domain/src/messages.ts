import { z } from "zod";
import { EXTRACTION_ERROR_CODES, JOB_STATUSES, type Job } from "./job.js";
import { extractionOptionsSchema } from "./extraction-options.js";

/**
 * Every message between services travels in this envelope. On AWS, `sender`, `target`
 * and `type` are also SNS message attributes so subscriptions filter on them.
 */
export const SERVICES = ["MSG_SERVICE_API", "MSG_SERVICE_WORKER", "MSG_SERVICE_NOTIFY", "MSG_SERVICE_ANY"] as const;
export type ServiceName = (typeof SERVICES)[number];

const isoDate = z.iso.datetime({ offset: true });

export const jobSnapshotSchema = z.object({
  id: z.string().min(1),
  ownerId: z.string().min(1),
  videoId: z.string().min(1),
  status: z.enum(JOB_STATUSES),
  progress: z.number().min(0).max(1),
  framesExtracted: z.number().int().min(0),
  options: extractionOptionsSchema,
  attempts: z.number().int().min(0),
  error: z.object({ code: z.enum(EXTRACTION_ERROR_CODES), message: z.string(), retryable: z.boolean() }).nullable(),
  result: z
    .object({
      frameCount: z.number().int().min(0),
      archiveKey: z.string(),
      archiveSizeBytes: z.number().int().min(0),
      strategy: z.string(),
    })
    .nullable(),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  updatedAt: isoDate,
  version: z.number().int().min(1),
});
/** A Job as JSON: dates travel as ISO strings. */
export type JobSnapshot = z.infer<typeof jobSnapshotSchema>;

export const toJobSnapshot = (job: Job): JobSnapshot => ({
  ...job,
  options: job.options,
  createdAt: job.createdAt.toISOString(),
  startedAt: job.startedAt?.toISOString() ?? null,
  finishedAt: job.finishedAt?.toISOString() ?? null,
  updatedAt: job.updatedAt.toISOString(),
});

export const fromJobSnapshot = (s: JobSnapshot): Job => ({
  ...s,
  createdAt: new Date(s.createdAt),
  startedAt: s.startedAt === null ? null : new Date(s.startedAt),
  finishedAt: s.finishedAt === null ? null : new Date(s.finishedAt),
  updatedAt: new Date(s.updatedAt),
});

export const extractionRequestedSchema = z.object({
  jobId: z.string().min(1),
  videoId: z.string().min(1),
  ownerId: z.string().min(1),
});
export type ExtractionRequested = z.infer<typeof extractionRequestedSchema>;

/** Payload of JOB_UPDATED (progress, status) and JOB_FINISHED (terminal status). */
export const jobEventSchema = z.object({
  job: jobSnapshotSchema,
  /** Display name of the video, so consumers (emails) need no lookup. */
  videoFilename: z.string(),
});
export type JobEvent = z.infer<typeof jobEventSchema>;

export const messageSchema = z.discriminatedUnion("type", [
  z.object({
    sender: z.enum(SERVICES),
    target: z.enum(SERVICES),
    type: z.literal("EXTRACTION_REQUESTED"),
    payload: extractionRequestedSchema,
  }),
  z.object({
    sender: z.enum(SERVICES),
    target: z.enum(SERVICES),
    type: z.literal("JOB_UPDATED"),
    payload: jobEventSchema,
  }),
  z.object({
    sender: z.enum(SERVICES),
    target: z.enum(SERVICES),
    type: z.literal("JOB_FINISHED"),
    payload: jobEventSchema,
  }),
]);
export type Message = z.infer<typeof messageSchema>;
export type MessageType = Message["type"];
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

/** Channels of the EventBus (live fan-out to subscribers). */
export const jobChannel = (jobId: string): string => `job:${jobId}`;
export const ownerChannel = (ownerId: string): string => `owner:${ownerId}`;
