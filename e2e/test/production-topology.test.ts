import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FetchLike, Job } from "@vp/client";
import { compilePicker } from "../../engine/src/native/picker-binary.js";
import {
  freePort,
  provisionResources,
  randomName,
  redisServerAvailable,
  startCognitoLocal,
  startDynalite,
  startRedis,
  startS3rver,
  startSesLocal,
  TEST_CREDENTIALS,
  TEST_REGION,
  testClients,
  type RunningServer,
  type SesLocal,
  type SesStoredMail,
} from "@vp/platform/testing";
import { ApiClient, JOB_UPDATED, type Present } from "./support/api-client.js";
import { buildInto, type BuiltBundles } from "./support/built.js";
import { killAll, spawnNode, type NodeProcess } from "./support/processes.js";
import { removeDir } from "./support/product.js";
import { makeTestVideo } from "./support/videos.js";
import { readZip } from "./support/zip.js";

/** The frame picker's source in the repository (the image compiles it the same way). */
const PICKER_SOURCE = fileURLToPath(new URL("../../engine/native/pick-frames.c", import.meta.url));
const SPAWN_RECORDER = fileURLToPath(new URL("./support/spawn-recorder.mjs", import.meta.url));
const API_READY = /is ready on (http:\/\/\S+)/;
const WORKER_READY = /\(worker\) is running/;

/**
 * The production topology: the API and the worker as two separate Node processes, configured by
 * environment variables alone, on the AWS adapters against real wire-protocol servers started here
 * (DynamoDB: dynalite, S3: s3rver, Cognito: cognito-local, Redis: redis-server, SES v2:
 * aws-ses-v2-local). SNS and SQS have no local server that speaks SDK v3 (STACK.md), so the
 * processes run with VP_MESSAGING=local: queues and job news in one SQLite file under the data
 * dir they share; everything else is AWS, and the worker process sends the emails through SES.
 * Both run the built bundles as the images ship them (a folder outside the repository with only
 * the native module in its node_modules, so not even the npm ffmpeg fallback can be found). The
 * API process has no ffmpeg or ffprobe on its PATH and must never start a child process.
 */
describe.skipIf(!redisServerAvailable())("production topology: api and worker processes on the AWS adapters", () => {
  const servers: RunningServer[] = [];
  const children: NodeProcess[] = [];
  let dir: string;
  let building: Promise<BuiltBundles> | undefined;
  let built: BuiltBundles | undefined;
  let ses: SesLocal;
  let s3Endpoint: string;
  let apiEnv: Record<string, string>;
  let workerEnv: Record<string, string>;
  let spawnLog: string;
  let workerSpawnLog: string;
  let picker: string;
  let api: NodeProcess;
  let apiUrl: string;
  const entry = (role: "api" | "worker"): string => join(built!.dir, `${role}.js`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-topology-"));
    // The build (a child process, ~5-15 s) runs while the servers start.
    building = buildInto({ selfContained: true });
    building.catch(() => undefined);
    const [dynamo, s3, redis, sesLocal, cognito] = await Promise.all([
      startDynalite(),
      startS3rver(),
      startRedis(),
      startSesLocal(),
      startCognitoLocal(),
    ]);
    servers.push(dynamo, s3, redis, sesLocal, cognito);
    ses = sesLocal;
    s3Endpoint = s3.endpoint;

    // The resources the CDK app would create, made here through the same wire protocols.
    const clients = testClients({ dynamodb: dynamo.endpoint, s3: s3.endpoint, cognito: cognito.endpoint });
    const {
      table,
      videosBucket: videos,
      archivesBucket: archives,
      userPoolId: poolId,
      userPoolClientId,
    } = await provisionResources(clients);
    clients.destroy();

    const dataDir = join(dir, "data");
    const home = join(dir, "home");
    await Promise.all([mkdir(dataDir), mkdir(home)]);
    const port = await freePort();
    const common: Record<string, string> = {
      HOME: home,
      TMPDIR: dir,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
      HOST: "127.0.0.1",
      VP_BACKEND: "aws",
      VP_MESSAGING: "local",
      VP_DATA_DIR: dataDir,
      VP_PUBLIC_URL: `http://127.0.0.1:${port}`,
      // Uploads above 1 MiB are multipart (parts of S3's 5 MiB minimum).
      VP_MULTIPART_THRESHOLD_BYTES: String(1024 * 1024),
      VP_MAIL_FROM: "video-processor <no-reply@example.com>",
      VP_SHUTDOWN_GRACE_SECONDS: "1",
      // The SDK's own settings: region, static credentials, one endpoint per service.
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      VP_S3_FORCE_PATH_STYLE: "true",
      VP_S3_VIDEOS_BUCKET: videos,
      VP_S3_ARCHIVES_BUCKET: archives,
      VP_DYNAMODB_TABLE: table,
      VP_REDIS_URL: redis.url,
      VP_COGNITO_USER_POOL_ID: poolId,
      VP_COGNITO_CLIENT_ID: userPoolClientId,
      VP_COGNITO_ISSUER: `${cognito.endpoint}/${poolId}`,
    };

    // The API's PATH holds one directory with `node` in it, and no FFMPEG_PATH/FFPROBE_PATH is set.
    const apiBin = join(dir, "api-bin");
    await mkdir(apiBin);
    await symlink(process.execPath, join(apiBin, "node"));
    spawnLog = join(dir, "api-spawns.jsonl");
    apiEnv = { ...common, PATH: apiBin, PORT: String(port), VP_TEST_SPAWN_LOG: spawnLog };
    // The worker as its image runs it: with the frame picker built beforehand (the Dockerfile compiles it).
    workerSpawnLog = join(dir, "worker-spawns.jsonl");
    picker = await compilePicker(PICKER_SOURCE, join(dir, "native"));
    workerEnv = {
      ...common,
      PATH: process.env.PATH ?? "",
      VP_WORKER_CONCURRENCY: "1",
      VP_FRAME_PICKER: picker,
      VP_TEST_SPAWN_LOG: workerSpawnLog,
    };

    built = await building;
    api = spawnNode(["--import", SPAWN_RECORDER, entry("api")], {
      env: apiEnv,
      readyPattern: API_READY,
      cwd: built.dir,
    });
    children.push(api);
    apiUrl = await api.ready;
  });

  afterAll(async () => {
    await killAll(children.map((c) => c.child));
    for (const s of servers.reverse()) await s.close();
    await (await building?.catch(() => undefined))?.remove();
    if (dir) await removeDir(dir);
  });

  it("the spawn recorder sees child processes started through ESM imports and promisify, unchanged", () => {
    const log = join(dir, "recorder-check.jsonl");
    const program = [
      'import { execFile, spawnSync } from "node:child_process";',
      'import { promisify } from "node:util";',
      'const { stdout } = await promisify(execFile)(process.execPath, ["-e", "process.stdout.write(\'ok\')"]);',
      'if (stdout !== "ok" || spawnSync(process.execPath, ["-v"]).status !== 0) process.exit(3);',
    ].join("\n");
    const run = spawnSync(process.execPath, ["--import", SPAWN_RECORDER, "--input-type=module", "-e", program], {
      env: { PATH: "", VP_TEST_SPAWN_LOG: log },
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    const recorded = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { fn: string; command: string });
    expect(recorded.map((r) => r.fn)).toEqual(["execFile", "spawnSync"]);
    expect(recorded.every((r) => r.command === process.execPath)).toBe(true);
  });

  it("signs up, uploads by single PUT and by multipart, follows both live, refuses a non-video, downloads and mails", async () => {
    for (const d of apiEnv.PATH!.split(delimiter))
      expect(readdirSync(d).filter((f) => /^ff(mpeg|probe)/.test(f))).toEqual([]);

    // GraphQL calls recorded, to see the upload targets the API handed out and what was completed.
    const graphql: Array<{ operationName: string; variables: any; data: any }> = [];
    const recordingFetch: FetchLike = async (input, init) => {
      const res = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/graphql") && typeof init?.body === "string") {
        const request = JSON.parse(init.body) as { operationName: string; variables: unknown };
        graphql.push({ ...request, data: ((await res.clone().json()) as { data?: unknown }).data });
      }
      return res;
    };
    const client = new ApiClient(apiUrl, { fetch: recordingFetch });
    const email = `${randomName("ada")}@example.com`;
    await client.signUpAndLogIn(email);

    const [small, large] = await Promise.all([
      makeTestVideo(join(dir, "talk.mp4"), { seconds: 6, size: "320x240" }),
      makeTestVideo(join(dir, "noisy.mp4"), { seconds: 2, size: "320x240", noisy: true }),
    ]);

    const single = await client.upload(small, { mode: "INTERVAL", intervalSeconds: 2 }, "talk.mp4");
    expect(single.userErrors).toEqual([]);
    const multi = await client.upload(large, { mode: "INTERVAL", intervalSeconds: 1 }, "noisy.mp4");
    expect(multi.userErrors).toEqual([]);

    const created = graphql.filter((c) => c.operationName === "CreateVideoUpload").map((c) => c.data.createVideoUpload);
    expect(created).toHaveLength(2);
    expect(created[0].upload.multipart).toBeNull();
    expect(new URL(created[0].upload.url).origin).toBe(s3Endpoint);
    const parts = created[1].upload.multipart.parts as Array<{ url: string; sizeBytes: number }>;
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.every((p) => new URL(p.url).origin === s3Endpoint)).toBe(true);
    const completions = graphql.filter((c) => c.operationName === "CompleteVideoUpload").map((c) => c.variables.input);
    expect(completions[1].multipart.parts).toHaveLength(parts.length);
    expect(completions[1].multipart.parts.every((p: { etag: string }) => p.etag.length > 0)).toBe(true);

    // Live before the worker exists: each subscription answers the job as it is now, QUEUED.
    const jobs = [single.job.id, multi.job.id];
    const subscriptions = jobs.map((jobId) => client.subscribe(JOB_UPDATED, { jobId }));
    for (const updates of subscriptions) expect((await updates.next()).value?.data?.jobUpdated.status).toBe("QUEUED");

    const worker = spawnNode(["--import", SPAWN_RECORDER, entry("worker")], {
      env: workerEnv,
      readyPattern: WORKER_READY,
      cwd: built!.dir,
    });
    children.push(worker);
    await worker.ready;

    const follow = async (updates: (typeof subscriptions)[number]): Promise<Array<Present<Job>>> => {
      const seen: Array<Present<Job>> = [];
      for await (const message of updates) {
        const job = message.data!.jobUpdated as Present<Job>;
        seen.push(job);
        if (job.status === "SUCCEEDED" || job.status === "FAILED" || job.status === "CANCELLED") break;
      }
      return seen;
    };
    const followed = await Promise.all(subscriptions.map(follow));
    for (const seen of followed) {
      const statuses = [...new Set(seen.map((j) => j.status))];
      expect(statuses, JSON.stringify(seen.at(-1)?.error)).toEqual(["RUNNING", "SUCCEEDED"]);
      const progress = seen.map((j) => j.progress);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    }

    // Frames and manifest, downloaded straight from S3 with the presigned URL.
    const expected = [
      { job: followed[0]!.at(-1)!, times: [0, 2, 4] },
      { job: followed[1]!.at(-1)!, times: [0, 1] },
    ];
    for (const { job, times } of expected) {
      expect(job.result.frameCount).toBe(times.length);
      const url = new URL(job.result.downloadUrl);
      expect(url.origin).toBe(s3Endpoint);
      expect(url.searchParams.get("X-Amz-Signature")).toBeTruthy();
      const download = await fetch(url);
      expect(download.status).toBe(200);
      const archive = Buffer.from(await download.arrayBuffer());
      expect(archive.length).toBe(job.result.archiveSizeBytes);
      const entries = await readZip(archive);
      const frames = entries.filter((e) => e.name.endsWith(".jpg"));
      expect(frames).toHaveLength(times.length);
      for (const f of frames) expect(f.data.subarray(0, 2).toString("hex")).toBe("ffd8");
      const manifest = JSON.parse(entries.find((e) => e.name === "manifest.json")!.data.toString("utf8"));
      expect(manifest.frames.map((f: { file: string }) => f.file)).toEqual(frames.map((f) => f.name));
      manifest.frames.forEach((f: { timestampSeconds: number }, i: number) =>
        expect(f.timestampSeconds).toBeCloseTo(times[i]!, 2),
      );
    }

    // Files that are not videos, refused with a precise code and a message a person can read. A
    // text file already when the upload is completed (the API sniffs its first bytes; it has no
    // ffprobe); binary garbage by the worker's probe, as a FAILED job seen live.
    const notes = join(dir, "notes.mp4");
    await writeFile(notes, "These are meeting notes, not a video.\n".repeat(200));
    const refused = await client.upload(notes, { mode: "INTERVAL", intervalSeconds: 1 }, "notes.mp4");
    expect(refused.job).toBeNull();
    expect(refused.video.status).toBe("REJECTED");
    expect(refused.userErrors).toHaveLength(1);
    expect(refused.userErrors[0]!.code).toBe("UNREADABLE_VIDEO");
    expect(refused.userErrors[0]!.message).toBe("The file is a text file, not a video: upload a video file.");

    const garbage = join(dir, "garbage.mp4");
    await writeFile(garbage, Buffer.concat([Buffer.from([0, 0, 0, 0]), randomBytes(64 * 1024)]));
    const accepted = await client.upload(garbage, { mode: "INTERVAL", intervalSeconds: 1 }, "garbage.mp4");
    expect(accepted.userErrors).toEqual([]);
    const failed = (await follow(client.subscribe(JOB_UPDATED, { jobId: accepted.job.id }))).at(-1)!;
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toEqual({
      code: "INPUT_CORRUPT",
      message: "The video file is damaged or incomplete.",
      retryable: false,
    });

    // The emails, sent by the worker process through SES, read back from the SES server.
    const waitForMails = async (count: number): Promise<readonly SesStoredMail[]> => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const mails = (await ses.mails()).filter((m) => m.destination.to.includes(email));
        if (mails.length >= count || Date.now() > deadline) return mails;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const mails = await waitForMails(3);
    const subjects = mails.map((m) => m.subject).sort();
    expect(subjects).toEqual(
      [
        "Your frames are ready: talk.mp4",
        "Your frames are ready: noisy.mp4",
        "Frame extraction failed: garbage.mp4",
      ].sort(),
    );
    for (const m of mails) {
      expect(m.from).toBe("video-processor <no-reply@example.com>");
      expect(m.destination.to).toEqual([email]);
      expect(m.body.text).toContain(apiEnv.VP_PUBLIC_URL);
    }
    expect(mails.find((m) => m.subject.endsWith("talk.mp4"))!.body.text).toContain("3 frames");
    await client.close();

    // The worker decoded through the frame picker, feeding ffmpeg.
    const workerSpawns = readFileSync(workerSpawnLog, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { command: string });
    expect(workerSpawns.some((c) => c.command === picker)).toBe(true);
    // The API process never started a child process (no ffprobe, no ffmpeg, nothing).
    expect(existsSync(spawnLog)).toBe(true);
    expect(readFileSync(spawnLog, "utf8")).toBe("");
  }, 60_000);
});
