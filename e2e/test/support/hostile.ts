import { execFile, spawn, type ChildProcess } from "node:child_process";
import { appendFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Worker } from "node:worker_threads";
import WebSocket from "ws";
import { killAll } from "./processes.js";
import { makeTestVideo } from "./videos.js";

/**
 * Helpers of the hostile-input suite (e2e/test/hostile.test.ts): the product as `npm start` runs
 * it (a child process on port 0, its own data dir), a /healthz probe running beside every attack,
 * and raw HTTP / TCP / WebSocket clients that measure what came back (time, bytes) without
 * buffering a possibly huge answer. Every request goes to 127.0.0.1.
 */

export interface HostileProduct {
  /** http://127.0.0.1:PORT */
  readonly base: string;
  readonly dataDir: string;
  /** The last 20,000 characters it wrote (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Where the product's sources are: this repository, or $HOSTILE_PRODUCT_ROOT (a copy of another
 * commit with its own node_modules/@vp links: how the "before" figures were taken against the
 * code without the defences).
 */
const productRoot = process.env.HOSTILE_PRODUCT_ROOT ?? fileURLToPath(new URL("../../..", import.meta.url));

/** Settings every hostile product gets: loopback only, quiet, and accounts not rate-limited (the suite signs up many users). */
const BASE_ENV = {
  PORT: "0",
  HOST: "127.0.0.1",
  LOG_LEVEL: "warn",
  VP_ACCOUNTS_RATE_LIMIT_PER_MINUTE: "100000",
  VP_WORKER_CONCURRENCY: "1",
};

/** `npm start` (every role in one process) as a child process, on port 0 with a fresh data dir. */
export async function startHostileProduct(env: Record<string, string> = {}): Promise<HostileProduct> {
  const dataDir = await mkdtemp(join(tmpdir(), "vp-hostile-"));
  // As `npm run dev` / `npm start` run it (from source here); vitest's NODE_ENV=test would switch libraries into test behaviour.
  const { NODE_ENV: _testEnv, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "standalone/src/main.ts"], {
    cwd: productRoot,
    env: { ...inherited, ...BASE_ENV, VP_DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const append = (chunk: Buffer) => (out = (out + chunk.toString("utf8")).slice(-20_000));
  child.stderr.on("data", append);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`product not ready after 60 s:\n${out}`)), 60_000);
    child.stdout.on("data", (chunk: Buffer) => {
      append(chunk);
      const match = /is ready on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the product exited (${code}) before it was ready:\n${out}`));
    });
  });
  return {
    base: loopback(url),
    dataDir,
    output: () => out,
    async stop() {
      await killAll([child]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The product prints and signs http://localhost:PORT; the suite talks to 127.0.0.1 only. */
export const loopback = (url: string): string => url.replace(/^http:\/\/localhost(?=[:/])/, "http://127.0.0.1");

// ---------------------------------------------------------------------------------------------
// Health probe and figures

/** A /healthz probe during an attack must answer 200 within this. */
export const HEALTHY_MS = 200;
/** A slow probe is the machine's, not the product's, when the control server took this long at the same moment. */
export const MACHINE_STALL_MS = 100;

export interface HealthReport {
  readonly probes: number;
  readonly maxMs: number;
  /** Probes that did not answer 200 within HEALTHY_MS, e.g. "503 in 12 ms", "timeout after 2000 ms". */
  readonly bad: readonly string[];
  /**
   * Slow probes (200 all the same) made while the control server was slow too (>= MACHINE_STALL_MS):
   * the machine stalled, not the product. Reported, not failed.
   */
  readonly excused: readonly string[];
  /** The slowest answer of the control server over the same probes. */
  readonly controlMaxMs: number;
}

/**
 * The probe itself, run in a worker thread so the test's own event loop (busy sending an attack or
 * reading its answer) never shows up as server latency. Each round asks the product's /healthz
 * and, at the same moment, a bare Node HTTP server in its own process (the control): on a shared
 * two-core machine, a pause of the whole machine slows both, a busy product only the product.
 * CommonJS, as `eval` workers are.
 */
const PROBE_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
let stopped = false;
parentPort.on("message", () => { stopped = true; });
const once = (url) => new Promise((resolve) => {
  const started = performance.now();
  let done = false;
  const finish = (status, error) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    req.destroy();
    resolve({ status, error, ms: performance.now() - started });
  };
  const req = http.get(url, { agent: false }, (res) => {
    res.resume();
    res.on("end", () => finish(res.statusCode));
    res.on("error", (e) => finish(0, e.code || e.message));
  });
  req.on("error", (e) => finish(0, e.code || e.message));
  const timer = setTimeout(() => finish(0, "timeout"), 2000);
});
const round = () => Promise.all([once(workerData.url), once(workerData.controlUrl)]);
(async () => {
  // A first round, not counted: the new thread's first connections are not the server's latency.
  await round();
  parentPort.postMessage("ready");
  const latencies = [];
  const controls = [];
  const bad = [];
  const excused = [];
  while (!stopped) {
    const [r, c] = await round();
    latencies.push(r.ms);
    controls.push(c.ms);
    const what = r.status === 0 ? (r.error || "no answer") + " after " + r.ms.toFixed(0) + " ms" : r.status + " in " + r.ms.toFixed(0) + " ms";
    if (r.status !== 200) bad.push(what);
    else if (r.ms >= workerData.healthyMs) (c.ms >= workerData.machineStallMs ? excused : bad).push(what + " (control " + c.ms.toFixed(0) + " ms)");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - Math.max(r.ms, c.ms))));
  }
  parentPort.postMessage({ probes: latencies.length, maxMs: Math.max(0, ...latencies), bad, excused, controlMaxMs: Math.max(0, ...controls) });
})();
`;

/** The control server: `node -e` answering 200 to everything, in its own process, started once. */
let control: Promise<{ url: string; child: ChildProcess }> | null = null;
function controlServer(): Promise<{ url: string; child: ChildProcess }> {
  control ??= new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const s = require("node:http").createServer((q, r) => r.end("ok")); s.listen(0, "127.0.0.1", () => console.log("port " + s.address().port));`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    process.once("exit", () => child.kill("SIGKILL"));
    child.stdout.on("data", (chunk: Buffer) => {
      const port = /port (\d+)/.exec(chunk.toString("utf8"))?.[1];
      if (port) resolve({ url: `http://127.0.0.1:${port}/`, child });
    });
    child.once("exit", (code) => reject(new Error(`the control server exited (${code})`)));
  });
  return control;
}

/** Stops the control server (the suite's last afterAll). */
export async function stopControlServer(): Promise<void> {
  const running = control;
  control = null;
  if (running) await killAll([(await running).child]);
}

/** GET /healthz every 100 ms, each on a fresh connection (an attack that hogs connections shows up here), from a worker thread. */
export async function startHealthProbe(base: string): Promise<{ stop(): Promise<HealthReport> }> {
  const { url: controlUrl } = await controlServer();
  const worker = new Worker(PROBE_SOURCE, {
    eval: true,
    workerData: { url: `${base}/healthz`, controlUrl, healthyMs: HEALTHY_MS, machineStallMs: MACHINE_STALL_MS },
  });
  let ready: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const report = new Promise<HealthReport>((resolve, reject) => {
    worker.on("message", (m: "ready" | HealthReport) => (m === "ready" ? ready() : resolve(m)));
    worker.once("error", reject);
  });
  await isReady;
  return {
    async stop() {
      worker.postMessage("stop");
      const r = await report;
      await worker.terminate();
      return r;
    },
  };
}

export interface Figure {
  readonly attack: string;
  /** Time until the attack got its answer (or was cut). */
  readonly ms: number;
  /** Bytes the server sent back. */
  readonly bytes: number;
  /** What came back, in a few words (status, code, close code). */
  readonly outcome: string;
  readonly health: HealthReport;
}

/** What an attack reports of its own answer. */
export interface Answer {
  readonly bytes: number;
  readonly outcome: string;
  /** The attack's own measure of time, when only part of its run counts (default: the whole run). */
  readonly ms?: number;
}

/**
 * Runs one attack with the health probe beside it and prints its one-line figure (also appended
 * to $HOSTILE_FIGURES, a JSON-lines file, when set). Returns the attack's own result for the asserts.
 */
export async function underAttack<T extends Answer>(
  base: string,
  attack: string,
  run: () => Promise<T>,
): Promise<{ answer: T; figure: Figure }> {
  const probe = await startHealthProbe(base);
  await sleep(100); // a probe before the attack: the server's resting latency is part of the figure
  const started = performance.now();
  let answer: T;
  let elapsed: number;
  let health: HealthReport;
  try {
    answer = await run();
  } finally {
    elapsed = performance.now() - started;
    health = await probe.stop();
  }
  const figure: Figure = {
    attack,
    ms: Math.round(answer.ms ?? elapsed),
    bytes: answer.bytes,
    outcome: answer.outcome,
    health,
  };
  console.log(
    `[hostile] ${attack}: ${figure.outcome}; ${figure.ms} ms, ${figure.bytes} bytes back; ` +
      `/healthz max ${health.maxMs.toFixed(0)} ms over ${health.probes} probes (control max ${health.controlMaxMs.toFixed(0)} ms)` +
      (health.bad.length ? `, ${health.bad.length} bad (${health.bad.slice(0, 3).join(", ")})` : "") +
      (health.excused.length
        ? `, ${health.excused.length} slow with the machine (${health.excused.slice(0, 3).join(", ")})`
        : ""),
  );
  if (process.env.HOSTILE_FIGURES) appendFileSync(process.env.HOSTILE_FIGURES, `${JSON.stringify(figure)}\n`);
  return { answer, figure };
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP, counted and bounded

export interface RawAnswer {
  /** 0 when no status line came back (timeout, reset). */
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Bytes of the body received (all of it is counted, only the first 64 KiB is kept). */
  readonly bytes: number;
  /** The first 64 KiB of the body. */
  readonly text: string;
  readonly ms: number;
  /** Set when the exchange did not complete: "timeout", "ECONNRESET", ... */
  readonly error?: string;
}

const KEEP_BYTES = 64 * 1024;

/** One HTTP exchange on a fresh connection; never buffers more than 64 KiB, gives up after `timeoutMs`. */
export function rawRequest(options: {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
  readonly timeoutMs: number;
}): Promise<RawAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    let status = 0;
    let headers: RawAnswer["headers"] = {};
    let bytes = 0;
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({
        status,
        headers,
        bytes,
        text: Buffer.concat(kept).toString("utf8"),
        ms: performance.now() - started,
        ...(error !== undefined ? { error } : {}),
      });
    };
    const req = httpRequest(
      options.url,
      { method: options.method ?? "GET", headers: options.headers, agent: false },
      (res) => {
        status = res.statusCode ?? 0;
        headers = res.headers;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (keptBytes < KEEP_BYTES) {
            kept.push(chunk.subarray(0, KEEP_BYTES - keptBytes));
            keptBytes += Math.min(chunk.length, KEEP_BYTES - keptBytes);
          }
        });
        res.on("end", () => finish());
        res.on("error", (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
      },
    );
    const timer = setTimeout(() => finish("timeout"), options.timeoutMs);
    req.on("error", (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
    req.end(options.body);
  });
}

/** JSON of a raw answer, or null when it is not JSON (or was cut). */
export function jsonOf(answer: RawAnswer): any {
  try {
    return JSON.parse(answer.text);
  } catch {
    return null;
  }
}

/** POST /graphql with a bearer token (or none); the raw, counted answer. */
export function postGraphql(base: string, token: string | null, body: unknown, timeoutMs = 10_000): Promise<RawAnswer> {
  return rawRequest({
    url: `${base}/graphql`,
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
    timeoutMs,
  });
}

/** A GraphQL call that must succeed at the HTTP level; its parsed `{data, errors}`. */
export async function gql(
  base: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> }> {
  const answer = await postGraphql(base, token, { query, variables }, 30_000);
  const body = jsonOf(answer);
  if (body === null)
    throw new Error(`POST /graphql answered ${answer.status} ${answer.error ?? ""}: ${answer.text.slice(0, 300)}`);
  return body;
}

/** An accounts call: status and parsed body. */
export async function accounts(
  base: string,
  route: string,
  body: Record<string, string>,
  token?: string,
): Promise<{ status: number; body: any; ms: number; bytes: number }> {
  const answer = await rawRequest({
    url: `${base}/api/v1/accounts/${route}`,
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    timeoutMs: 10_000,
  });
  return { status: answer.status, body: jsonOf(answer), ms: answer.ms, bytes: answer.bytes };
}

// ---------------------------------------------------------------------------------------------
// Users, uploads, jobs

export interface User {
  readonly email: string;
  readonly password: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

export const GOOD_PASSWORD = "a long passphrase of mine 7";
let userCounter = 0;

/** A fresh user, signed up (confirmed with the mailed code when the product asks for one) and logged in. */
export async function newUser(product: Pick<HostileProduct, "base" | "dataDir">, prefix = "user"): Promise<User> {
  const { base } = product;
  const email = `${prefix}-${process.pid}-${++userCounter}-${Date.now()}@example.com`;
  const signup = await accounts(base, "signup", { email, password: GOOD_PASSWORD });
  if (signup.status >= 300) throw new Error(`signup answered ${signup.status}: ${JSON.stringify(signup.body)}`);
  let login = await accounts(base, "login", { email, password: GOOD_PASSWORD });
  if (login.status === 403) {
    const code = await confirmationCode(product.dataDir, email);
    if (code === null) throw new Error(`no confirmation code was mailed to ${email}`);
    await accounts(base, "confirm", { email, code });
    login = await accounts(base, "login", { email, password: GOOD_PASSWORD });
  }
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  return { email, password: GOOD_PASSWORD, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken };
}

export const USER_ERRORS = "userErrors { field message code }";
export const JOB_FIELDS =
  "id status progress framesExtracted attempts error { code message retryable } result { frameCount archiveSizeBytes }";

export interface UserErrorData {
  readonly field: string[] | null;
  readonly message: string;
  readonly code: string;
}

export interface UploadTarget {
  readonly url: string;
  readonly method: string;
  readonly headers: ReadonlyArray<{ name: string; value: string }>;
}

/** createVideoUpload: the video id and the upload target (URL moved to 127.0.0.1), or the userErrors. */
export async function createUpload(
  base: string,
  token: string,
  input: { filename: string; contentType: string; sizeBytes: number; extraction: Record<string, unknown> },
): Promise<{ videoId: string | null; upload: UploadTarget | null; userErrors: UserErrorData[] }> {
  const res = await gql(
    base,
    token,
    `mutation($i: CreateVideoUploadInput!) { createVideoUpload(input: $i) { video { id } upload { url method headers { name value } } ${USER_ERRORS} } }`,
    { i: input },
  );
  const payload = res.data?.createVideoUpload;
  if (!payload) throw new Error(`createVideoUpload failed: ${JSON.stringify(res.errors)}`);
  return {
    videoId: payload.video?.id ?? null,
    upload: payload.upload ? { ...payload.upload, url: loopback(payload.upload.url) } : null,
    userErrors: payload.userErrors,
  };
}

/** PUT bytes to a signed upload target, raw. */
export function putTo(upload: UploadTarget, bytes: Uint8Array, timeoutMs = 30_000): Promise<RawAnswer> {
  return rawRequest({
    url: upload.url,
    method: upload.method,
    headers: {
      ...Object.fromEntries(upload.headers.map((h) => [h.name, h.value])),
      "content-length": String(bytes.length),
    },
    body: bytes,
    timeoutMs,
  });
}

export async function completeUpload(
  base: string,
  token: string,
  videoId: string,
): Promise<{ job: any; userErrors: UserErrorData[] }> {
  const res = await gql(
    base,
    token,
    `mutation($i: CompleteVideoUploadInput!) { completeVideoUpload(input: $i) { job { ${JOB_FIELDS} } ${USER_ERRORS} } }`,
    { i: { videoId } },
  );
  const payload = res.data?.completeVideoUpload;
  if (!payload) throw new Error(`completeVideoUpload failed: ${JSON.stringify(res.errors)}`);
  return payload;
}

export interface Uploaded {
  readonly videoId: string;
  readonly upload: UploadTarget;
  /** The first job, created by completeVideoUpload (null when it refused). */
  readonly job: any;
  readonly userErrors: UserErrorData[];
}

/** create + PUT + complete; throws if the create or the PUT is refused. */
export async function uploadFile(
  base: string,
  token: string,
  path: string,
  extraction: Record<string, unknown>,
  contentType = "video/mp4",
): Promise<Uploaded> {
  const bytes = await readFile(path);
  const created = await createUpload(base, token, {
    filename: path.split("/").pop()!,
    contentType,
    sizeBytes: bytes.length,
    extraction,
  });
  if (created.videoId === null || created.upload === null)
    throw new Error(`createVideoUpload refused: ${JSON.stringify(created.userErrors)}`);
  const put = await putTo(created.upload, bytes);
  if (put.status !== 200) throw new Error(`PUT answered ${put.status} ${put.error ?? ""}: ${put.text.slice(0, 300)}`);
  const done = await completeUpload(base, token, created.videoId);
  return { videoId: created.videoId, upload: created.upload, job: done.job, userErrors: done.userErrors };
}

export async function startExtraction(
  base: string,
  token: string,
  videoId: string,
  extraction: Record<string, unknown>,
): Promise<{ job: any; userErrors: UserErrorData[] }> {
  const res = await gql(
    base,
    token,
    `mutation($i: StartExtractionInput!) { startExtraction(input: $i) { job { ${JOB_FIELDS} } ${USER_ERRORS} } }`,
    { i: { videoId, extraction } },
  );
  const payload = res.data?.startExtraction;
  if (!payload) throw new Error(`startExtraction failed: ${JSON.stringify(res.errors)}`);
  return payload;
}

export async function jobOf(base: string, token: string, jobId: string): Promise<any> {
  return (await gql(base, token, `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`, { id: jobId })).data?.job;
}

export async function videoOf(base: string, token: string, videoId: string): Promise<any> {
  return (
    await gql(
      base,
      token,
      `query($id: ID!) { video(id: $id) { id status rejectionReason jobs(first: 100) { nodes { id status } } } }`,
      {
        id: videoId,
      },
    )
  ).data?.video;
}

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

/** Polls the job every 100 ms until it is terminal or `timeoutMs` passed; answers its last state either way. */
export async function waitForJob(base: string, token: string, jobId: string, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await jobOf(base, token, jobId);
    if (TERMINAL.has(job?.status) || Date.now() > deadline) return job;
    await sleep(100);
  }
}

export async function cancelJob(base: string, token: string, jobId: string): Promise<void> {
  await gql(base, token, `mutation($i: CancelJobInput!) { cancelJob(input: $i) { job { id } } }`, { i: { jobId } });
}

// ---------------------------------------------------------------------------------------------
// GraphQL payloads

const INTROSPECTION_FIELD = "__schema { types { fields { args { type { ofType { name } } } } } }";

/**
 * The introspection bomb: `aliases` aliased copies of a deep `__schema` selection in one query,
 * each padded with spaces so the document is about `targetBytes` (~175 bytes an alias: 5,700 make ~1 MB).
 */
export function introspectionBomb(aliases = 5700, targetBytes = 1_000_000): string {
  const per = Math.floor(targetBytes / aliases);
  const parts: string[] = [];
  for (let i = 0; i < aliases; i++) {
    const line = `a${i}: ${INTROSPECTION_FIELD}`;
    parts.push(line.padEnd(per - 1, " "));
  }
  return `query {\n${parts.join("\n")}\n}`;
}

// ---------------------------------------------------------------------------------------------
// WebSocket (graphql-transport-ws), raw

export interface WsClient {
  readonly socket: WebSocket;
  /** Every message received, parsed. */
  readonly messages: any[];
  /** Bytes received in messages. */
  bytes(): number;
  /** Resolves when the socket closes (never rejects). */
  /** `at`: performance.now() of the close; `wallAt`: Date.now(). */
  readonly closed: Promise<{ code: number; reason: string; at: number; wallAt: number }>;
  send(message: unknown): void;
  /** Resolves with the first message matching, or null after `ms` (or on close). */
  waitFor(match: (m: any) => boolean, ms: number): Promise<any>;
  close(): void;
}

/** Opens a graphql-transport-ws socket to /graphql; `init` (connection_init) is sent when given. */
export async function openWs(base: string, init?: Record<string, unknown>): Promise<WsClient> {
  const socket = new WebSocket(`${base.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws", {
    maxPayload: 512 * 1024 * 1024,
  });
  const messages: any[] = [];
  let received = 0;
  const waiters = new Set<() => void>();
  socket.on("message", (data: Buffer) => {
    received += data.length;
    try {
      messages.push(JSON.parse(data.toString("utf8")));
    } catch {
      messages.push({ type: "<unparsable>" });
    }
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number; reason: string; at: number; wallAt: number }>((resolve) => {
    socket.on("close", (code: number, reason: Buffer) => {
      resolve({ code, reason: reason.toString("utf8"), at: performance.now(), wallAt: Date.now() });
      for (const w of [...waiters]) w();
    });
  });
  socket.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
    socket.once("close", () => resolve());
  });
  const client: WsClient = {
    socket,
    messages,
    bytes: () => received,
    closed,
    send: (message) => {
      if (socket.readyState === WebSocket.OPEN)
        socket.send(typeof message === "string" ? message : JSON.stringify(message));
    },
    waitFor: (match, ms) =>
      new Promise((resolve) => {
        const check = () => {
          const found = messages.find(match);
          if (found !== undefined || socket.readyState === WebSocket.CLOSED) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found ?? null);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          resolve(messages.find(match) ?? null);
        }, ms);
        waiters.add(check);
        check();
      }),
    close: () => socket.terminate(),
  };
  if (init !== undefined) client.send({ type: "connection_init", payload: init });
  return client;
}

/** A socket authenticated as `token`: resolves once connection_ack came (or the server closed it). */
export async function openAuthedWs(base: string, token: string): Promise<WsClient & { acked: boolean }> {
  const ws = await openWs(base, { authorization: `Bearer ${token}` });
  const ack = await ws.waitFor((m) => m.type === "connection_ack", 5000);
  return Object.assign(ws, { acked: ack !== null });
}

/** Resolves with the close event, or null if the socket is still open after `ms`. */
export function closedWithin(
  ws: WsClient,
  ms: number,
): Promise<{ code: number; reason: string; at: number; wallAt: number } | null> {
  return Promise.race([ws.closed, sleep(ms).then(() => null)]);
}

// ---------------------------------------------------------------------------------------------
// Slow clients (raw TCP)

/**
 * Writes `head` then trickles `trickle` one byte every `intervalMs` on a raw TCP socket, until the
 * server closes the connection or `maxMs` passed. Answers when (ms after connect) and how it ended,
 * and the first bytes the server sent (e.g. a 408).
 */
export function trickle(options: {
  readonly base: string;
  readonly head: string | Uint8Array;
  readonly trickle: string | Uint8Array;
  readonly intervalMs: number;
  readonly maxMs: number;
}): Promise<{ cut: boolean; ms: number; bytesSent: number; reply: string; bytes: number }> {
  const { hostname, port } = new URL(options.base);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const drip = Buffer.from(options.trickle);
    let sent = 0;
    let reply = "";
    let bytes = 0;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (cut: boolean) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      clearTimeout(limit);
      socket.destroy();
      resolve({ cut, ms: performance.now() - started, bytesSent: sent, reply: reply.slice(0, 500), bytes });
    };
    const limit = setTimeout(() => finish(false), options.maxMs);
    socket.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      reply += chunk.toString("latin1");
    });
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
    socket.on("connect", () => {
      const head = Buffer.from(options.head);
      socket.write(head);
      sent += head.length;
      let i = 0;
      timer = setInterval(() => {
        if (i >= drip.length) return;
        socket.write(drip.subarray(i, i + 1));
        i++;
        sent++;
      }, options.intervalMs);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Videos and the data dir

const run = promisify(execFile);

/**
 * A container that lies about its duration: a real 5 s H.264 stream in Matroska whose header
 * claims 10,000 s.
 *
 * Recipe: `ffmpeg -f lavfi -i testsrc2=size=160x120:rate=10 -t 5 -c:v libx264 -g 10 short.mkv`, then
 * patch two fields in place (same sizes, so nothing else moves):
 * - the Segment Info `Duration` element (EBML id 0x4489, size byte 0x88, an 8-byte big-endian
 *   double in TimestampScale units, i.e. milliseconds): 5000.0 becomes 10,000,000.0;
 * - the stream's `DURATION` tag ffmpeg writes as text, "00:00:05.000000000", becomes "02:46:40.000000000".
 * ffprobe then reports `format.duration` 10000.000000 and the stream tag 02:46:40, while the
 * stream holds 50 frames (5 s).
 */
export async function makeLyingVideo(path: string, { seconds = 5, claimedSeconds = 10_000 } = {}): Promise<string> {
  const honest = await makeTestVideo(`${path}.honest.mkv`, { seconds, size: "160x120", rate: 10 });
  const bytes = await readFile(honest);
  const at = bytes.indexOf(Buffer.from([0x44, 0x89, 0x88]));
  if (at < 0) throw new Error("no 8-byte Segment Duration element in the Matroska header");
  bytes.writeDoubleBE(claimedSeconds * 1000, at + 3);
  const tag = bytes.indexOf(Buffer.from(hms(seconds), "latin1"));
  if (tag >= 0) bytes.write(hms(claimedSeconds), tag, "latin1");
  await writeFile(path, bytes);
  return path;
}

/** "HH:MM:SS.000000000", as ffmpeg's Matroska muxer writes the DURATION tag. */
function hms(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}.000000000`;
}

/** Duration ffprobe reads from the container. */
export async function probedDuration(path: string): Promise<number> {
  const { stdout } = await run("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path]);
  return Number(stdout.trim());
}

/** Every path under `dir` (itself included) with its permission bits and kind. */
export async function modesUnder(dir: string): Promise<Array<{ path: string; mode: number; dir: boolean }>> {
  const out: Array<{ path: string; mode: number; dir: boolean }> = [];
  const visit = async (path: string) => {
    const s = await stat(path).catch(() => null);
    if (s === null) return; // removed meanwhile (a temp file renamed into place)
    out.push({ path, mode: s.mode & 0o777, dir: s.isDirectory() });
    if (s.isDirectory()) for (const name of await readdir(path).catch(() => [])) await visit(join(path, name));
  };
  await visit(dir);
  return out;
}

/** Regular files under `dir`, recursively (none when it does not exist). */
export async function filesUnder(dir: string): Promise<string[]> {
  return (await modesUnder(dir)).filter((e) => !e.dir).map((e) => e.path);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The confirmation code mailed to `email` (the newest), read from the data dir's outbox; null when none came within `ms`. */
export async function confirmationCode(dataDir: string, email: string, ms = 5000): Promise<string | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    const names = (await readdir(join(dataDir, "outbox")).catch(() => [] as string[]))
      .filter((n) => n.endsWith(".eml"))
      .sort();
    for (const name of names.reverse()) {
      const raw = await readFile(join(dataDir, "outbox", name), "utf8").catch(() => "");
      if (!raw.toLowerCase().includes(email.toLowerCase())) continue;
      const code = /confirmation code: (\d{6})/i.exec(raw)?.[1];
      if (code) return code;
    }
    if (Date.now() > deadline) return null;
    await sleep(100);
  }
}
