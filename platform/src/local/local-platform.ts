import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extractionRequestedSchema, jobEventSchema, webhookTaskSchema } from "@vp/domain";
import type { JSONWebKeySet } from "jose";
import { cachedSessionRevocations, createJwksTokenVerifier } from "../auth/index.js";
import type { Platform } from "../platform.js";
import { openDatabase } from "../sqlite/index.js";
import { createBlobHttpHandler, type BlobHttpHandlerOptions } from "./blob-http-handler.js";
import {
  loadOrCreateSigningKeys,
  LocalIdentityProvider,
  migrate as migrateIdentity,
  SqliteSessionRevocations,
} from "./identity/index.js";
import { DEFAULT_PART_SIZE_BYTES } from "../shared/multipart.js";
import { DIR_MODE, FILE_MODE, LocalDiskBlobStore } from "./local-disk-blob-store.js";
import { createLocalJobEventPublisher } from "./local-job-event-publisher.js";
import { OutboxMailer } from "./outbox-mailer.js";
import { SqliteEventBus } from "./sqlite-event-bus.js";
import { SqliteJobQueue } from "./sqlite-job-queue.js";
import { SqliteJobRepository } from "./sqlite-job-repository.js";
import { SqliteVideoRepository } from "./sqlite-video-repository.js";
import { createSqliteWebhookStore } from "./sqlite-webhook-store.js";
import { withWebhookEvents } from "../webhooks/webhook-event-source.js";
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from "../webhooks/webhook-settings.js";

export interface LocalPlatformOptions {
  /** Holds the database, blobs, outbox and keys. */
  readonly dataDir: string;
  /** Public origin of this machine's HTTP server; known only after listen when the port is 0. */
  readonly publicUrl: () => string;
  /** `iss` of local access tokens: a stable name, not the (possibly random) port. */
  readonly issuer: string;
  readonly accessTokenTtlSeconds: number;
  readonly requireEmailConfirmation: boolean;
  readonly mailFrom: string;
  readonly smtpUrl?: string | undefined;
  /** Attempts a job gets; the queue allows one more delivery so the worker records the failure itself. */
  readonly jobMaxAttempts: number;
  /** Upload targets above this size are multipart (VP_MULTIPART_THRESHOLD_BYTES). @default 256 MiB */
  readonly multipartThresholdBytes?: number | undefined;
  /** Uploads slower than this over the window are cut off with 408 (VP_UPLOAD_MIN_BYTES_PER_SECOND; 0: off). @default 16 KiB/s */
  readonly uploadMinBytesPerSecond?: number | undefined;
  /** VP_UPLOAD_RATE_WINDOW_SECONDS. @default 30 */
  readonly uploadRateWindowSeconds?: number | undefined;
  /** Temp files of dead writes older than this (mtime) are swept (VP_TEMP_MAX_AGE_SECONDS). @default 6 h */
  readonly tempMaxAgeSeconds?: number | undefined;
  /** Multipart uploads started longer ago (and idle) are swept (VP_MULTIPART_ABORT_SECONDS). @default 1 day */
  readonly multipartAbortSeconds?: number | undefined;
  /** How often the sweep runs, besides once at start. @default 10 min */
  readonly sweepIntervalSeconds?: number | undefined;
  /** VP_WEBHOOK_* settings. @default DEFAULT_WEBHOOK_SETTINGS */
  readonly webhooks?: WebhookSettings | undefined;
  /** Told about each sweep that removed something, and sweep failures. @default nothing */
  readonly onSweep?:
    ((result: { bucket: string; tempFiles: number; uploads: number } | { error: unknown }) => void) | undefined;
}

export const DEFAULT_TEMP_MAX_AGE_SECONDS = 6 * 3600;
export const DEFAULT_MULTIPART_ABORT_SECONDS = 24 * 3600;
const DEFAULT_SWEEP_INTERVAL_SECONDS = 600;

export interface LocalPlatform extends Platform {
  /** Serves the signed upload and download URLs of the local blob stores. */
  readonly blobHttpHandler: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Public keys of local access tokens, served at `/.well-known/jwks.json`. */
  jwks(): JSONWebKeySet;
  readonly outboxDir: string;
}

/** Everything on one machine: SQLite for records, queues and events; local disk for blobs; an outbox for mail. */
export async function createLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const { dataDir } = options;
  await ensurePrivateDir(dataDir);
  const db = openDatabase(join(dataDir, "video-processor.db"));
  migrateIdentity(db);
  const urlSecret = await loadOrCreateSecret(join(dataDir, "keys", "url-signing.key"));
  const keys = await loadOrCreateSigningKeys(dataDir);
  const outboxDir = join(dataDir, "outbox");
  const mailer = new OutboxMailer({
    dir: outboxDir,
    from: options.mailFrom,
    ...(options.smtpUrl ? { smtpUrl: options.smtpUrl } : {}),
  });

  const blobStore = (bucket: string) =>
    new LocalDiskBlobStore({
      root: join(dataDir, "blobs", bucket),
      bucket,
      secret: urlSecret,
      baseUrl: options.publicUrl,
      // Parts are never larger than the threshold: each would fit a single PUT.
      ...(options.multipartThresholdBytes !== undefined
        ? {
            multipartThresholdBytes: options.multipartThresholdBytes,
            partSizeBytes: Math.min(DEFAULT_PART_SIZE_BYTES, options.multipartThresholdBytes),
          }
        : {}),
    });
  const videosBlobs = blobStore("videos");
  const archivesBlobs = blobStore("archives");
  const sweeper = startSweeper([videosBlobs, archivesBlobs], options);

  const events = new SqliteEventBus({ db });
  const extractionQueue = new SqliteJobQueue({
    db,
    name: "extractions",
    schema: extractionRequestedSchema,
    maxAttempts: options.jobMaxAttempts + 1,
  });
  const notificationQueue = new SqliteJobQueue({
    db,
    name: "notifications",
    schema: jobEventSchema,
    maxAttempts: 5,
  });
  // Deliveries pace their own retries (the schedule); the queue's attempts only cover crashes.
  const webhookQueue = new SqliteJobQueue({ db, name: "webhooks", schema: webhookTaskSchema, maxAttempts: 10 });

  // One cached store for sign-out and verification: this process sees its own sign-outs at once,
  // other processes on the machine within SESSION_REVOCATION_CACHE_SECONDS.
  const revocations = cachedSessionRevocations(new SqliteSessionRevocations({ db }));
  const identity = new LocalIdentityProvider({
    db,
    keys,
    issuer: options.issuer,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    requireEmailConfirmation: options.requireEmailConfirmation,
    mailer,
    revocations,
  });
  // Verification goes through the JWKS endpoint, as it does for Cognito: one code path for both.
  const tokens = createJwksTokenVerifier({
    issuer: options.issuer,
    jwks: async () => {
      const res = await fetch(new URL("/.well-known/jwks.json", options.publicUrl()));
      if (!res.ok) throw new Error(`JWKS endpoint answered ${res.status}`);
      return (await res.json()) as JSONWebKeySet;
    },
    revocations,
  });

  return {
    videos: new SqliteVideoRepository(db),
    jobs: new SqliteJobRepository(db),
    blobs: { videos: videosBlobs, archives: archivesBlobs },
    extractionQueue,
    notificationQueue,
    events,
    jobEvents: withWebhookEvents(
      createLocalJobEventPublisher({
        events,
        notifications: notificationQueue,
      }),
      webhookQueue,
    ),
    webhooks: {
      store: createSqliteWebhookStore(db),
      queue: webhookQueue,
      settings: options.webhooks ?? DEFAULT_WEBHOOK_SETTINGS,
    },
    identity,
    tokens,
    mailer,
    blobHttpHandler: createBlobHttpHandler([videosBlobs, archivesBlobs], {
      ...(options.uploadMinBytesPerSecond !== undefined ? { minBytesPerSecond: options.uploadMinBytesPerSecond } : {}),
      ...(options.uploadRateWindowSeconds !== undefined ? { rateWindowSeconds: options.uploadRateWindowSeconds } : {}),
    } satisfies BlobHttpHandlerOptions),
    jwks: () => keys.jwks(),
    outboxDir,
    async close() {
      await sweeper.stop();
      await events.close();
      db.close();
    },
  };
}

/** Creates `dir` as 0700, or tightens it to 0700 when it exists with group or other bits. */
async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const s = await stat(dir);
  if ((s.mode & 0o077) !== 0) await chmod(dir, DIR_MODE);
}

/**
 * Sweeps the stores' temp areas at start and every interval (see LocalDiskBlobStore.sweep); stop()
 * clears the timer and waits for a sweep under way.
 */
function startSweeper(
  stores: ReadonlyArray<LocalDiskBlobStore>,
  options: LocalPlatformOptions,
): { stop(): Promise<void> } {
  const sweepOptions = {
    tempMaxAgeMs: (options.tempMaxAgeSeconds ?? DEFAULT_TEMP_MAX_AGE_SECONDS) * 1000,
    uploadMaxAgeMs: (options.multipartAbortSeconds ?? DEFAULT_MULTIPART_ABORT_SECONDS) * 1000,
  };
  let running: Promise<void> = Promise.resolve();
  const sweepAll = () => {
    running = running.then(async () => {
      for (const store of stores) {
        try {
          const result = await store.sweep(sweepOptions);
          if (result.tempFiles + result.uploads > 0) options.onSweep?.({ bucket: store.bucket, ...result });
        } catch (error) {
          options.onSweep?.({ error });
        }
      }
    });
  };
  sweepAll();
  const timer = setInterval(sweepAll, (options.sweepIntervalSeconds ?? DEFAULT_SWEEP_INTERVAL_SECONDS) * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** A random secret made once and kept, so signed URLs stay valid across restarts and processes. */
async function loadOrCreateSecret(path: string): Promise<Uint8Array> {
  let secret: Uint8Array;
  try {
    secret = await readFile(path);
  } catch {
    await mkdir(dirname(path), { recursive: true, mode: DIR_MODE });
    const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, randomBytes(32), { mode: FILE_MODE, flag: "wx" });
    // `link` fails when the name exists: if another process won the race, its secret is the one to use.
    await link(temp, path).catch(() => undefined);
    await unlink(temp);
    secret = await readFile(path);
  }
  // A key made by an older version, or under a looser umask, may be 0644.
  await chmod(path, FILE_MODE);
  return secret;
}
