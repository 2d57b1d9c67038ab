import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { acceptProbe, type Video } from "@vp/domain";
import { classifyHead, probe, validatePlan } from "@vp/engine";
import { createLocalPlatform, type BlobStore, type LocalPlatform, type Platform } from "@vp/platform";
import { execute, parse, subscribe, type ExecutionResult, type GraphQLSchema } from "graphql";
import { pino } from "pino";
import { randomBytes } from "node:crypto";
import { FrameArchive } from "../../src/frames/frame-archive.js";
import { buildApiSchema } from "../../src/graphql/build-schema.js";
import type { ApiContext } from "../../src/graphql/context.js";
import { createServices, type ExtractionEngine, type Services, type UserQuotas } from "../../src/services/index.js";

const run = promisify(execFile);

export const silentLogger = pino({ level: "silent" });

/** A tiny real H.264 video (160x120, 10 fps, `seconds` long) made with ffmpeg. */
export async function makeTinyVideo(dir: string, name = "tiny.mp4", seconds = 2): Promise<Buffer> {
  const path = join(dir, name);
  await run("ffmpeg", [
    "-v",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `testsrc2=size=160x120:rate=10`,
    "-t",
    String(seconds),
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    "yuv420p",
    path,
  ]);
  return readFile(path);
}

export interface TestEnv {
  readonly dir: string;
  readonly platform: LocalPlatform;
  readonly schema: GraphQLSchema;
  readonly services: Services;
  readonly engine: ExtractionEngine;
  context(userId: string | null): ApiContext;
  exec<T = Record<string, unknown>>(
    userId: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<ExecutionResult<T>>;
  sub(userId: string | null, query: string, variables?: Record<string, unknown>): ReturnType<typeof subscribe>;
  close(): Promise<void>;
}

export const realEngine: ExtractionEngine = { validatePlan, classifyHead };

/** The real single-machine platform on a temp dir, the built schema, and the services over them. */
export async function createTestEnv(
  options: {
    engine?: ExtractionEngine;
    maxUploadBytes?: number;
    maxFrames?: number;
    maxOutputPixels?: number;
    quotas?: UserQuotas;
  } = {},
): Promise<TestEnv> {
  const dir = await mkdtemp(join(tmpdir(), "vp-api-test-"));
  const platform = await createLocalPlatform({
    dataDir: dir,
    publicUrl: () => "http://localhost:1",
    issuer: "urn:video-processor:test",
    accessTokenTtlSeconds: 3600,
    requireEmailConfirmation: false,
    mailFrom: "test <test@localhost>",
    jobMaxAttempts: 3,
  });
  const schema = await buildApiSchema();
  const engine = options.engine ?? realEngine;
  const api = apiView(platform);
  const services = createServices({
    platform: api,
    frames: new FrameArchive({
      archives: platform.blobs.archives,
      secret: randomBytes(32),
      baseUrl: () => "http://localhost:1",
    }),
    engine,
    limits: {
      maxUploadBytes: options.maxUploadBytes ?? 10_000_000,
      maxFrames: options.maxFrames ?? 1000,
      ...(options.maxOutputPixels !== undefined ? { maxOutputPixels: options.maxOutputPixels } : {}),
      ...(options.quotas ? { quotas: options.quotas } : {}),
    },
    logger: silentLogger,
  });
  const context = (userId: string | null): ApiContext => ({
    requestId: "test",
    logger: silentLogger,
    viewer: userId === null ? null : { userId, email: `${userId}@example.com` },
    authProblem:
      userId === null
        ? {
            reason: "MISSING_TOKEN",
            message: "Sign in: this operation needs an access token.",
          }
        : null,
    services,
  });
  return {
    dir,
    platform,
    schema,
    services,
    engine,
    context,
    exec: async <T>(userId: string | null, query: string, variables?: Record<string, unknown>) =>
      (await execute({
        schema,
        document: parse(query),
        variableValues: variables ?? null,
        contextValue: context(userId),
      })) as ExecutionResult<T>,
    sub: (userId, query, variables) =>
      subscribe({
        schema,
        document: parse(query),
        variableValues: variables ?? null,
        contextValue: context(userId),
      }),
    close: async () => {
      await platform.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Narrows a field of `data` that the test expects to be present. */
export function dataOf<T>(result: ExecutionResult<Record<string, unknown>>, field: string): T {
  if (result.errors?.length) throw new Error(`unexpected errors: ${result.errors.map((e) => e.message).join("; ")}`);
  const value = result.data?.[field];
  if (value === undefined || value === null) throw new Error(`no data.${field}`);
  return value as T;
}

/**
 * The platform as the API sees it in these tests: the videos bucket refuses whole reads, so a
 * test fails if any API code path copies a video (it may read a head by range, never open it as a file).
 */
export function apiView<P extends Pick<Platform, "blobs">>(platform: P): P {
  const videos: BlobStore = platform.blobs.videos;
  const guarded: BlobStore = Object.assign(Object.create(videos) as BlobStore, {
    openAsFile: () => Promise.reject(new Error("the API must never copy a whole video (openAsFile)")),
    get: (key: string, options?: Parameters<BlobStore["get"]>[1]) =>
      options?.range && options.range.end - options.range.start < 64 * 1024
        ? videos.get(key, options)
        : Promise.reject(new Error("the API must never read a whole video (get without a small range)")),
  });
  return { ...platform, blobs: { ...platform.blobs, videos: guarded } };
}

/** What a worker does first with a video: probe its file and store the probe (READY). */
export async function probeAsWorker(platform: LocalPlatform, videoId: string): Promise<Video> {
  const video = await platform.videos.findById(videoId);
  if (video === null) throw new Error(`no video ${videoId}`);
  const file = await platform.blobs.videos.openAsFile(video.blobKey);
  try {
    const change = acceptProbe(await probe(file.path));
    return await platform.videos.update(video.id, change.when, change.patch);
  } finally {
    await file.release();
  }
}
