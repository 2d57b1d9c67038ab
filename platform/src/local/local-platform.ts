import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extractionRequestedSchema, jobEventSchema } from "@vp/domain";
import type { JSONWebKeySet } from "jose";
import { createJwksTokenVerifier } from "../auth/index.js";
import type { Platform } from "../platform.js";
import { openDatabase } from "../sqlite/index.js";
import { createBlobHttpHandler } from "./blob-http-handler.js";
import { loadOrCreateSigningKeys, LocalIdentityProvider, migrate as migrateIdentity } from "./identity/index.js";
import { DEFAULT_PART_SIZE_BYTES } from "../shared/multipart.js";
import { LocalDiskBlobStore } from "./local-disk-blob-store.js";
import { createLocalJobEventPublisher } from "./local-job-event-publisher.js";
import { OutboxMailer } from "./outbox-mailer.js";
import { SqliteEventBus } from "./sqlite-event-bus.js";
import { SqliteJobQueue } from "./sqlite-job-queue.js";
import { SqliteJobRepository } from "./sqlite-job-repository.js";
import { SqliteVideoRepository } from "./sqlite-video-repository.js";

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
}

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
  await mkdir(dataDir, { recursive: true });
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

  const identity = new LocalIdentityProvider({
    db,
    keys,
    issuer: options.issuer,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    requireEmailConfirmation: options.requireEmailConfirmation,
    mailer,
  });
  // Verification goes through the JWKS endpoint, as it does for Cognito: one code path for both.
  const tokens = createJwksTokenVerifier({
    issuer: options.issuer,
    jwks: async () => {
      const res = await fetch(new URL("/.well-known/jwks.json", options.publicUrl()));
      if (!res.ok) throw new Error(`JWKS endpoint answered ${res.status}`);
      return (await res.json()) as JSONWebKeySet;
    },
  });

  return {
    videos: new SqliteVideoRepository(db),
    jobs: new SqliteJobRepository(db),
    blobs: { videos: videosBlobs, archives: archivesBlobs },
    extractionQueue,
    notificationQueue,
    events,
    jobEvents: createLocalJobEventPublisher({
      events,
      notifications: notificationQueue,
    }),
    identity,
    tokens,
    mailer,
    blobHttpHandler: createBlobHttpHandler([videosBlobs, archivesBlobs]),
    jwks: () => keys.jwks(),
    outboxDir,
    async close() {
      await events.close();
      db.close();
    },
  };
}

/** A random secret made once and kept, so signed URLs stay valid across restarts and processes. */
async function loadOrCreateSecret(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, randomBytes(32), { mode: 0o600 });
    // `link` fails when the name exists: if another process won the race, its secret is the one to use.
    await link(temp, path).catch(() => undefined);
    await unlink(temp);
    return readFile(path);
  }
}
