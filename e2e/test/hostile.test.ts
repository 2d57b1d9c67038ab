import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accounts,
  cancelJob,
  closedWithin,
  completeUpload,
  confirmationCode,
  createUpload,
  filesUnder,
  gql,
  introspectionBomb,
  jsonOf,
  makeLyingVideo,
  modesUnder,
  newUser,
  openAuthedWs,
  openWs,
  postGraphql,
  probedDuration,
  putTo,
  rawRequest,
  sleep,
  startExtraction,
  startHostileProduct,
  stopControlServer,
  trickle,
  underAttack,
  uploadFile,
  videoOf,
  waitForJob,
  type Figure,
  type HostileProduct,
  type RawAnswer,
  type User,
} from "./support/hostile.js";
import { makeTestVideo } from "./support/videos.js";

/**
 * The hostile-input suite: every attack of "Safe to put on the internet", replayed against the
 * product started as `npm start` starts it (a child process on port 0 with its own data dir),
 * with small limits set through the environment where a default would make the test slow.
 *
 * Each attack runs with a /healthz probe beside it (every 100 ms, fresh connection) and prints one
 * line: its outcome, how long the answer took, how many bytes came back, and the slowest probe.
 * Each asserts the refusal (status, code), that it came within a bounded time, that nothing was
 * lost or left behind where that applies, and that every probe answered 200 in under 200 ms.
 *
 * One file on purpose: vitest runs files in parallel, and on two cores a neighbour's ffmpeg
 * would show up in another attack's /healthz figures. Each group has its own product.
 */

/** Per test: the attacks are bounded well below this; it only stops a hung run. */
const ATTACK_TIMEOUT_MS = 120_000;
/** A refusal must come this fast. Generous for a loaded CI machine. */
const REFUSED_WITHIN_MS = 2000;
/** A refusal is small: an error, not a schema dump. */
const SMALL_ANSWER_BYTES = 16 * 1024;

/**
 * Every probe answered 200 within HEALTHY_MS (200 ms), except those made while the control server
 * (a bare Node server on the same machine) was slow too (MACHINE_STALL_MS, 100 ms): the shared CI
 * machine paused, not the product. The probe applies both (support/hostile.ts); here they are read back.
 */
function expectHealthy(figure: Figure): void {
  expect(figure.health.bad, `/healthz during "${figure.attack}"`).toEqual([]);
  expect(figure.health.probes).toBeGreaterThan(0);
}

/** "400 GRAPHQL_VALIDATION_FAILED: message..." or "200 data" or "0 timeout". */
function graphqlOutcome(answer: RawAnswer): string {
  if (answer.error !== undefined) return `${answer.status} ${answer.error}`;
  const body = jsonOf(answer);
  const err = body?.errors?.[0] ?? body?.error;
  if (err) return `${answer.status} ${err.extensions?.code ?? err.code ?? "?"}: ${String(err.message).slice(0, 90)}`;
  return `${answer.status} ${body?.data ? "data" : "non-JSON"}`;
}

function expectGraphqlRefusal(answer: RawAnswer): void {
  expect(answer.error, "the answer came whole").toBeUndefined();
  expect([200, 400, 413]).toContain(answer.status);
  const body = jsonOf(answer);
  const code = body?.errors?.[0]?.extensions?.code ?? body?.error?.code;
  expect(code, JSON.stringify(body).slice(0, 300)).toMatch(/^[A-Z_]+$/);
  expect(body?.data ?? null).toBeNull();
  expect(answer.bytes).toBeLessThan(SMALL_ANSWER_BYTES);
  expect(answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
}

const VIEWER = "{ viewer { id } }";
const METRICS_TOKEN = "hostile-suite-metrics-token-0123456789";
const SUBSCRIPTION = "subscription { myJobUpdates { id status } }";

let work: string;

/**
 * Attack 2's expiring token: access tokens live at least 60 s (VP_ACCESS_TOKEN_TTL_SECONDS has no
 * lower test-only bound), so this product starts first, its socket opens at once, and the last
 * test of the file waits out what is left of the minute while the other groups run.
 */
interface Expiring {
  readonly product: HostileProduct;
  readonly ws: Awaited<ReturnType<typeof openAuthedWs>>;
  /** The token's `exp`, in ms since the epoch. */
  readonly expiresAt: number;
}
let expiring: Promise<Expiring>;
const expiringProducts: HostileProduct[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "vp-hostile-files-"));
  expiring = (async () => {
    const product = await startHostileProduct({ VP_ACCESS_TOKEN_TTL_SECONDS: "60" });
    expiringProducts.push(product);
    const user = await newUser(product, "expiring");
    const ws = await openAuthedWs(product.base, user.accessToken);
    const exp = JSON.parse(Buffer.from(user.accessToken.split(".")[1]!, "base64url").toString("utf8")).exp as number;
    return { product, ws, expiresAt: exp * 1000 };
  })();
  expiring.catch(() => undefined); // awaited (and reported) by its test
});
afterAll(async () => {
  await Promise.all(expiringProducts.map((p) => p.stop()));
  await stopControlServer();
  await rm(work, { recursive: true, force: true });
});

describe("hostile input: GraphQL over HTTP and WebSocket", { timeout: ATTACK_TIMEOUT_MS }, () => {
  let product: HostileProduct;
  let alice: User;
  const bomb = introspectionBomb();

  beforeAll(async () => {
    product = await startHostileProduct({
      VP_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: "10",
      VP_WS_MAX_CONNECTIONS_PER_USER: "3",
      VP_WS_REVERIFY_SECONDS: "1",
    });
    alice = await newUser(product, "alice");
  });
  afterAll(async () => {
    await product?.stop();
  });

  it("1. refuses the ~1 MB introspection bomb (5,700 aliases), alone and three at once", async () => {
    const body = JSON.stringify({ query: bomb });
    expect(body.length).toBeGreaterThan(950_000);
    expect(body.length).toBeLessThan(1_048_576);

    const one = await underAttack(product.base, "1a introspection bomb, unauthenticated POST /graphql", async () => {
      const answer = await postGraphql(product.base, null, body, 30_000);
      return { ...answer, outcome: graphqlOutcome(answer) };
    });
    const three = await underAttack(product.base, "1b introspection bomb x3 at once", async () => {
      const answers = await Promise.all([0, 1, 2].map(() => postGraphql(product.base, null, body, 30_000)));
      return {
        answers,
        bytes: answers.reduce((n, a) => n + a.bytes, 0),
        ms: Math.max(...answers.map((a) => a.ms)),
        outcome: answers.map(graphqlOutcome).join(" | "),
      };
    });

    // The same bomb made small enough to pass the token and alias limits: introspection is charged.
    const small = introspectionBomb(25, 2500);
    const under = await underAttack(
      product.base,
      "1c introspection bomb, 25 aliases (under the token and alias limits)",
      async () => {
        const answer = await postGraphql(product.base, null, { query: small }, 30_000);
        return { ...answer, outcome: graphqlOutcome(answer) };
      },
    );

    expectGraphqlRefusal(one.answer);
    for (const answer of three.answer.answers) expectGraphqlRefusal(answer);
    expectGraphqlRefusal(under.answer);
    expectHealthy(one.figure);
    expectHealthy(three.figure);
    expectHealthy(under.figure);
    // Still serving real queries afterwards.
    expect((await gql(product.base, alice.accessToken, VIEWER)).data?.viewer?.id).toBeTruthy();
  });

  it("2a. refuses the introspection bomb over WebSocket, unauthenticated and authenticated", async () => {
    const anonymous = await underAttack(product.base, "2a introspection bomb, unauthenticated WebSocket", async () => {
      const started = performance.now();
      const ws = await openWs(product.base, {});
      ws.send({ id: "bomb", type: "subscribe", payload: { query: bomb } });
      const closed = await closedWithin(ws, 30_000);
      ws.close();
      return {
        closed,
        ms: (closed?.at ?? performance.now()) - started,
        bytes: ws.bytes(),
        next: ws.messages.filter((m) => m.type === "next").length,
        outcome: closed ? `closed ${closed.code} ${closed.reason}` : "still open after 30 s",
      };
    });
    const authed = await underAttack(product.base, "2a introspection bomb, authenticated WebSocket", async () => {
      const ws = await openAuthedWs(product.base, alice.accessToken);
      const started = performance.now();
      ws.send({ id: "bomb", type: "subscribe", payload: { query: bomb } });
      const answer = await ws.waitFor((m) => m.id === "bomb", 30_000);
      const closed = await closedWithin(ws, 0);
      const at = performance.now();
      ws.close();
      return {
        answer,
        closed,
        ms: (closed?.at ?? at) - started,
        bytes: ws.bytes(),
        outcome: closed
          ? `closed ${closed.code} ${closed.reason}`
          : answer
            ? `${answer.type} ${JSON.stringify(answer.payload).slice(0, 100)}`
            : "no answer in 30 s",
      };
    });

    // Under the 64 KiB message limit, the same bomb is refused by the GraphQL limits, as an error for the operation.
    const smallBomb = introspectionBomb(340, 60_000);
    const authedSmall = await underAttack(
      product.base,
      "2a introspection bomb of 60 kB, authenticated WebSocket",
      async () => {
        const ws = await openAuthedWs(product.base, alice.accessToken);
        const started = performance.now();
        ws.send({ id: "bomb", type: "subscribe", payload: { query: smallBomb } });
        const answer = await ws.waitFor((m) => m.id === "bomb", 30_000);
        const ms = performance.now() - started;
        const closed = await closedWithin(ws, 0);
        ws.close();
        return {
          answer,
          closed,
          ms,
          bytes: ws.bytes(),
          outcome: closed
            ? `closed ${closed.code} ${closed.reason}`
            : `${answer?.type} ${JSON.stringify(answer?.payload).slice(0, 140)}`,
        };
      },
    );

    expect(authedSmall.answer.closed).toBeNull();
    expect(authedSmall.answer.answer?.type).toBe("error");
    expect(authedSmall.answer.answer?.payload?.[0]?.extensions?.code).toMatch(/^[A-Z_]+$/);
    expect(authedSmall.answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
    expect(authedSmall.answer.bytes).toBeLessThan(SMALL_ANSWER_BYTES);
    expectHealthy(authedSmall.figure);
    expect(anonymous.answer.closed?.code).toBeGreaterThanOrEqual(4400);
    expect(anonymous.answer.next).toBe(0);
    expect(anonymous.answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
    expect(anonymous.answer.bytes).toBeLessThan(SMALL_ANSWER_BYTES);
    // Authenticated: an error for the operation, or the socket closed (a message over the payload limit: 1009).
    const refusedAuthed = authed.answer.closed !== null || authed.answer.answer?.type === "error";
    expect(refusedAuthed, authed.figure.outcome).toBe(true);
    expect(authed.answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
    expect(authed.answer.bytes).toBeLessThan(SMALL_ANSWER_BYTES);
    expectHealthy(anonymous.figure);
    expectHealthy(authed.figure);
  });

  it("2b. closes a socket that sends a 20 MB frame", async () => {
    const ws = await openAuthedWs(product.base, alice.accessToken);
    expect(ws.acked).toBe(true);
    const frame = JSON.stringify({
      id: "big",
      type: "subscribe",
      payload: { query: `{ viewer { id } }${" ".repeat(20 * 1024 * 1024)}` },
    });
    const { answer, figure } = await underAttack(product.base, "2b 20 MB WebSocket frame", async () => {
      const started = performance.now();
      ws.send(frame);
      const closed = await closedWithin(ws, 30_000);
      ws.close();
      return {
        closed,
        ms: (closed?.at ?? performance.now()) - started,
        bytes: ws.bytes(),
        outcome: closed ? `closed ${closed.code} ${closed.reason}` : "still open after 30 s",
      };
    });
    expect(answer.closed?.code).toBe(1009);
    expect(answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
    expectHealthy(figure);
  });

  /** 1,000 subscribe messages at once on one socket; how the server answered them. */
  const subscriptionBurst = async (attack: string) => {
    const ws = await openAuthedWs(product.base, alice.accessToken);
    expect(ws.acked).toBe(true);
    return underAttack(product.base, attack, async () => {
      const started = performance.now();
      for (let i = 0; i < 1000; i++) ws.send({ id: `s${i}`, type: "subscribe", payload: { query: SUBSCRIPTION } });
      const firstRefusal = await Promise.race([
        ws.waitFor((m) => m.type === "error", 5000).then((m) => (m ? performance.now() : null)),
        closedWithin(ws, 5000).then((c) => c?.at ?? null),
      ]);
      // The rest of the refusals (or the close).
      await ws.waitFor((m) => m.type === "error" && m.id === "s999", 3000);
      const allRefusedMs = performance.now() - started;
      const closed = await closedWithin(ws, 0);
      const refused = ws.messages.filter((m) => m.type === "error").length;
      ws.close();
      return {
        closed,
        refused,
        ms: (firstRefusal ?? performance.now()) - started,
        bytes: ws.bytes(),
        outcome: closed
          ? `closed ${closed.code} ${closed.reason} after ${refused} errors`
          : `${refused} of 1000 refused (the last after ${allRefusedMs.toFixed(0)} ms), ${1000 - refused} accepted`,
      };
    });
  };

  it("2c. refuses 1,000 subscriptions on one connection beyond the per-connection limit", async () => {
    const { answer } = await subscriptionBurst("2c 1,000 subscriptions on one socket");
    // Either the socket is closed, or everything past the limit (10) was refused one by one.
    if (answer.closed === null) expect(answer.refused).toBeGreaterThanOrEqual(990);
    else expect(answer.closed.code).toBeGreaterThanOrEqual(4000);
    expect(answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
    // /healthz during this attack: see the skipped test below.
  });

  // Refusing each of 990 subscribes one by one held the event loop 100-550 ms; the socket is now
  // closed (4429) after a few refusals, so the burst costs next to nothing.
  it("2c'. stays healthy (/healthz < 200 ms) while refusing 1,000 subscriptions on one socket", async () => {
    const { figure } = await subscriptionBurst("2c' 1,000 subscriptions on one socket (health)");
    expectHealthy(figure);
  });

  it("2d. refuses more WebSocket connections per user than allowed", async () => {
    const user = await newUser(product, "sockets");
    const sockets: Awaited<ReturnType<typeof openAuthedWs>>[] = [];
    const { answer, figure } = await underAttack(product.base, "2d 8 sockets for one user (limit 3)", async () => {
      const started = performance.now();
      let slowestRefusalMs = 0;
      for (let i = 0; i < 8; i++) {
        const t = performance.now();
        const ws = await openAuthedWs(product.base, user.accessToken);
        sockets.push(ws);
        if (!ws.acked) slowestRefusalMs = Math.max(slowestRefusalMs, performance.now() - t);
      }
      await sleep(300);
      const open = sockets.filter((s) => s.socket.readyState === s.socket.OPEN).length;
      const codes = (await Promise.all(sockets.map((s) => closedWithin(s, 0)))).map((c) => c?.code ?? "open");
      return {
        open,
        codes,
        ms: slowestRefusalMs || performance.now() - started,
        bytes: sockets.reduce((n, s) => n + s.bytes(), 0),
        outcome: `${open} of 8 open (${codes.join(",")})`,
      };
    });
    for (const s of sockets) s.close();
    expect(answer.open).toBe(3);
    expect(answer.codes.slice(0, 3)).toEqual(["open", "open", "open"]);
    for (const code of answer.codes.slice(3)) expect(code).toBeGreaterThanOrEqual(4000);
    expect(answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
    expectHealthy(figure);
  });

  it("2e. closes a socket whose session is revoked (logout)", async () => {
    const user = await newUser(product, "revoked");
    const ws = await openAuthedWs(product.base, user.accessToken);
    expect(ws.acked).toBe(true);
    ws.send({ id: "live", type: "subscribe", payload: { query: SUBSCRIPTION } });
    const { answer, figure } = await underAttack(
      product.base,
      "2e socket after logout (re-verify every 1 s)",
      async () => {
        const started = performance.now();
        const logout = await accounts(product.base, "logout", { refreshToken: user.refreshToken }, user.accessToken);
        const closed = await closedWithin(ws, 10_000);
        ws.close();
        return {
          logout,
          closed,
          ms: (closed?.at ?? performance.now()) - started,
          bytes: ws.bytes(),
          outcome: `logout ${logout.status}; ${closed ? `closed ${closed.code} ${closed.reason}` : "still open after 10 s"}`,
        };
      },
    );
    expect(answer.logout.status).toBeLessThan(300);
    expect(answer.closed?.code).toBeGreaterThanOrEqual(4000);
    // Re-verified every VP_WS_REVERIFY_SECONDS (1 s here).
    expect(answer.ms).toBeLessThan(1000 + REFUSED_WITHIN_MS);
    expectHealthy(figure);
  });
});

describe("hostile input: HTTP, uploads, storage, metrics", { timeout: ATTACK_TIMEOUT_MS }, () => {
  let product: HostileProduct;
  let alice: User;

  beforeAll(async () => {
    product = await startHostileProduct({
      VP_HTTP_HEADERS_TIMEOUT_SECONDS: "2",
      VP_UPLOAD_MIN_BYTES_PER_SECOND: "100",
      VP_UPLOAD_RATE_WINDOW_SECONDS: "3",
    });
    alice = await newUser(product, "alice");
  });
  afterAll(async () => {
    await product?.stop();
  });

  it("5a. cuts a client that sends its headers one byte a second", async () => {
    const { answer, figure } = await underAttack(
      product.base,
      "5a slow headers (1 byte/s, headersTimeout 2 s)",
      async () => {
        const cut = await trickle({
          base: product.base,
          head: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
          trickle: "a".repeat(60),
          intervalMs: 1000,
          maxMs: 15_000,
        });
        return {
          ...cut,
          outcome: cut.cut
            ? `cut after ${cut.bytesSent} bytes: ${cut.reply.split("\r\n")[0] || "(no reply)"}`
            : "not cut after 15 s",
        };
      },
    );
    expect(answer.cut).toBe(true);
    expect(answer.ms).toBeLessThan(2000 + REFUSED_WITHIN_MS);
    expectHealthy(figure);
  });

  it("5b. cuts a PUT to a signed upload URL that sends a byte every 2 s, and stores nothing", async () => {
    const created = await createUpload(product.base, alice.accessToken, {
      filename: "slow.mp4",
      contentType: "video/mp4",
      sizeBytes: 1000,
      extraction: { mode: "INTERVAL", intervalSeconds: 1 },
    });
    const url = new URL(created.upload!.url);
    const key = decodeURIComponent(url.pathname.slice("/blobs/videos/".length));
    const before = await filesUnder(join(product.dataDir, "blobs"));
    const { answer, figure } = await underAttack(
      product.base,
      "5b slow upload PUT (1 byte / 2 s, min 100 B/s over 3 s)",
      async () => {
        const cut = await trickle({
          base: product.base,
          head: `PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: video/mp4\r\nContent-Length: 1000\r\n\r\n`,
          trickle: new Uint8Array(1000),
          intervalMs: 2000,
          maxMs: 20_000,
        });
        return {
          ...cut,
          outcome: cut.cut
            ? `cut after ${cut.bytesSent} bytes: ${cut.reply.split("\r\n")[0] || "(no reply)"}`
            : "not cut after 20 s",
        };
      },
    );
    expect(answer.cut).toBe(true);
    // Cut once a whole window (3 s) shows less than the minimum rate; a window and a bit of slack.
    expect(answer.ms).toBeLessThan(3000 + 2 * REFUSED_WITHIN_MS);
    await sleep(200);
    const after = await filesUnder(join(product.dataDir, "blobs"));
    expect(after.filter((f) => !before.includes(f))).toEqual([]);
    expect(after.some((f) => f.endsWith(key))).toBe(false);
    const done = await completeUpload(product.base, alice.accessToken, created.videoId!);
    expect(done.userErrors[0]?.code).toBe("UPLOAD_MISSING");
    expectHealthy(figure);
  });

  it("7. keeps the data dir private (0700/0600) and refuses a second PUT to a used upload URL", async () => {
    const video = await makeTestVideo(join(work, "private.mp4"), { seconds: 1, size: "160x120", rate: 10 });
    const up = await uploadFile(product.base, alice.accessToken, video, { mode: "COUNT", count: 1 });
    expect(up.userErrors).toEqual([]);
    const job = await waitForJob(product.base, alice.accessToken, up.job.id, 30_000);
    expect(job.status).toBe("SUCCEEDED");

    // The job's email lands in the outbox just after the job ends.
    for (let i = 0; i < 50 && (await filesUnder(join(product.dataDir, "outbox"))).length === 0; i++) await sleep(100);
    const entries = await modesUnder(product.dataDir);
    const kinds = ["video-processor.db", "/blobs/videos/", "/blobs/archives/", "/keys/", "/outbox/"];
    for (const kind of kinds)
      expect(
        entries.some((e) => !e.dir && e.path.includes(kind)),
        kind,
      ).toBe(true);
    const dataDirMode = entries.find((e) => e.path === product.dataDir)!.mode;
    const open = entries
      .filter((e) => (e.dir ? e.mode & 0o077 : e.mode & 0o177) !== 0)
      .map((e) => `${e.path.slice(product.dataDir.length) || "/"} ${e.mode.toString(8)}`);
    console.log(
      `[hostile] 7 data dir ${dataDirMode.toString(8)}; ${entries.length} entries, ${open.length} readable by others: ${open.slice(0, 6).join(", ")}`,
    );
    expect(dataDirMode).toBe(0o700);
    expect(open).toEqual([]);

    const key = decodeURIComponent(new URL(up.upload.url).pathname.slice("/blobs/videos/".length));
    const stored = join(product.dataDir, "blobs", "videos", ...key.split("/"));
    const hash = async () =>
      createHash("sha256")
        .update(await readFile(stored))
        .digest("hex");
    const original = await hash();
    const sameSize = new Uint8Array((await readFile(stored)).length).fill(7);
    const { answer, figure } = await underAttack(product.base, "7 second PUT to a used upload URL", async () => {
      const put = await putTo(up.upload, sameSize);
      const body = jsonOf(put);
      return { ...put, outcome: `${put.status} ${body?.error?.code ?? ""} ${body?.error?.message ?? ""}`.trim() };
    });
    expect([403, 409, 410]).toContain(answer.status);
    expect(jsonOf(answer)?.error?.code).toMatch(/^[A-Z_]+$/);
    expect(answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
    expect(await hash()).toBe(original);
    expectHealthy(figure);
  });

  it("9. does not serve /metrics on the API port", async () => {
    const { answer, figure } = await underAttack(product.base, "9 GET /metrics on the API port", async () => {
      const res = await rawRequest({ url: `${product.base}/metrics`, timeoutMs: 5000 });
      return { ...res, outcome: `${res.status} ${res.text.slice(0, 60).replace(/\s+/g, " ")}` };
    });
    expect([401, 404]).toContain(answer.status);
    expect(answer.text).not.toMatch(/vp_http_requests_total|process_cpu/);
    expectHealthy(figure);
  });
});

describe("hostile input: accounts", { timeout: ATTACK_TIMEOUT_MS }, () => {
  let product: HostileProduct;

  beforeAll(async () => {
    product = await startHostileProduct({ VP_REQUIRE_EMAIL_CONFIRMATION: "true", VP_METRICS_TOKEN: METRICS_TOKEN });
  });
  afterAll(async () => {
    await product?.stop();
  });

  /** Keys and value types, recursively: what a caller can tell from an answer besides its values. */
  const shape = (v: unknown): unknown =>
    v === null || typeof v !== "object"
      ? typeof v
      : Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, x]) => [k, shape(x)]),
        );
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  it("6a. answers a signup for a known email exactly like one for a new email, in similar time", async () => {
    const known = await newUser(product, "known");
    const { answer, figure } = await underAttack(
      product.base,
      "6a signup known vs unknown email (5 each)",
      async () => {
        const knownAnswers = [];
        const unknownAnswers = [];
        for (let i = 0; i < 5; i++) {
          knownAnswers.push(
            await accounts(product.base, "signup", { email: known.email, password: `another passphrase ${i}x` }),
          );
          unknownAnswers.push(
            await accounts(product.base, "signup", {
              email: `nobody-${Date.now()}-${i}@example.com`,
              password: `another passphrase ${i}x`,
            }),
          );
        }
        const k = median(knownAnswers.map((a) => a.ms));
        const u = median(unknownAnswers.map((a) => a.ms));
        return {
          knownAnswers,
          unknownAnswers,
          medians: [k, u] as const,
          bytes: knownAnswers[0]!.bytes,
          ms: Math.abs(k - u),
          outcome: `known ${knownAnswers[0]!.status} ${JSON.stringify(knownAnswers[0]!.body)} in ${k.toFixed(0)} ms (median) vs unknown ${unknownAnswers[0]!.status} ${JSON.stringify(unknownAnswers[0]!.body)} in ${u.toFixed(0)} ms; |diff| (the figure)`,
        };
      },
    );
    for (let i = 0; i < 5; i++) {
      expect(answer.knownAnswers[i]!.status).toBe(answer.unknownAnswers[i]!.status);
      expect(shape(answer.knownAnswers[i]!.body)).toEqual(shape(answer.unknownAnswers[i]!.body));
    }
    // Similar time: the medians within 100 ms of each other, or (on a loaded machine, where each
    // takes a few hundred ms) the faster at least half the slower. What this catches is a known
    // address answered without hashing: ~4 ms against ~150-400 ms.
    const [k, u] = answer.medians;
    if (answer.ms >= 100) expect(Math.min(k, u) / Math.max(k, u)).toBeGreaterThanOrEqual(0.5);
    expectHealthy(figure);
  });

  it("6b. answers a confirm for an unknown email exactly like a wrong code", async () => {
    const pending = `pending-${Date.now()}@example.com`;
    expect(
      (await accounts(product.base, "signup", { email: pending, password: "a long passphrase 22" })).status,
    ).toBeLessThan(300);
    const code = await confirmationCode(product.dataDir, pending);
    const wrong = code === "000000" ? "111111" : "000000";
    const { answer, figure } = await underAttack(product.base, "6b confirm: unknown email vs wrong code", async () => {
      const wrongCode = await accounts(product.base, "confirm", { email: pending, code: wrong });
      const unknown = await accounts(product.base, "confirm", {
        email: `nobody-${Date.now()}@example.com`,
        code: wrong,
      });
      return {
        wrongCode,
        unknown,
        bytes: wrongCode.bytes,
        ms: Math.abs(wrongCode.ms - unknown.ms),
        outcome: `wrong code ${wrongCode.status} ${JSON.stringify(wrongCode.body)} vs unknown ${unknown.status} ${JSON.stringify(unknown.body)}; |diff| (the figure)`,
      };
    });
    expect(answer.wrongCode.status).toBeGreaterThanOrEqual(400);
    expect(answer.unknown.status).toBe(answer.wrongCode.status);
    expect(answer.unknown.body).toEqual(answer.wrongCode.body);
    expectHealthy(figure);
  });

  it("6c. refuses password1 and 12345678a as WEAK_PASSWORD", async () => {
    const { answer, figure } = await underAttack(product.base, "6c weak passwords password1, 12345678a", async () => {
      const answers = [];
      for (const password of ["password1", "12345678a"])
        answers.push(
          await accounts(product.base, "signup", { email: `weak-${Date.now()}-${password}@example.com`, password }),
        );
      return {
        answers,
        bytes: answers.reduce((n, a) => n + a.bytes, 0),
        ms: Math.max(...answers.map((a) => a.ms)),
        outcome: answers.map((a) => `${a.status} ${a.body?.error?.code ?? JSON.stringify(a.body)}`).join(" | "),
      };
    });
    for (const a of answer.answers) {
      expect(a.status).toBe(400);
      expect(a.body.error.code).toBe("WEAK_PASSWORD");
    }
    expect(answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
    expectHealthy(figure);
  });

  it("6e. checks a long password's strength without stalling the server", async () => {
    // zxcvbn's matching grows with the password (it looks at the first 100 characters): these two
    // are its slow cases. Each is one request, well within the accounts rate limit.
    const passwords = [
      "1234567890".repeat(10),
      "Tr0ub4dour&3-correct-horse-battery-staple-extra-long-pass-phrase-here-1234567890-abcdefghijklmnopqrs",
    ];
    const { answer, figure } = await underAttack(
      product.base,
      "6e signup with 100-character passwords (x2)",
      async () => {
        const answers = [];
        for (const password of passwords)
          answers.push(
            await accounts(product.base, "signup", {
              email: `long-${Date.now()}-${answers.length}@example.com`,
              password,
            }),
          );
        return {
          answers,
          bytes: answers.reduce((n, a) => n + a.bytes, 0),
          ms: Math.max(...answers.map((a) => a.ms)),
          outcome: answers
            .map((a) => `${a.status} ${a.body?.error?.code ?? a.body?.status} in ${a.ms.toFixed(0)} ms`)
            .join(" | "),
        };
      },
    );
    expect(answer.answers[0]!.body.error.code).toBe("WEAK_PASSWORD");
    expect(answer.answers[1]!.status).toBe(202);
    expect(answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
    expectHealthy(figure);
  });

  it("9b. with VP_METRICS_TOKEN set, answers /metrics on the API port 401 without the token", async () => {
    const { answer, figure } = await underAttack(
      product.base,
      "9b GET /metrics, VP_METRICS_TOKEN set, no or wrong token",
      async () => {
        const none = await rawRequest({ url: `${product.base}/metrics`, timeoutMs: 5000 });
        const wrong = await rawRequest({
          url: `${product.base}/metrics`,
          headers: { authorization: `Bearer ${"w".repeat(32)}` },
          timeoutMs: 5000,
        });
        return {
          none,
          wrong,
          bytes: none.bytes + wrong.bytes,
          ms: Math.max(none.ms, wrong.ms),
          outcome: `${none.status} | ${wrong.status}`,
        };
      },
    );
    const right = await rawRequest({
      url: `${product.base}/metrics`,
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      timeoutMs: 5000,
    });
    expect(answer.none.status).toBe(401);
    expect(answer.wrong.status).toBe(401);
    for (const a of [answer.none, answer.wrong]) expect(a.text).not.toMatch(/vp_http_requests_total|process_cpu/);
    expect(right.status).toBe(200);
    expectHealthy(figure);
  });

  it("6d. logout revokes: refresh fails at once, the access token is refused right after", async () => {
    const user = await newUser(product, "logout");
    expect((await gql(product.base, user.accessToken, VIEWER)).data?.viewer?.id).toBeTruthy();
    const { answer, figure } = await underAttack(
      product.base,
      "6d logout, then refresh and the access token",
      async () => {
        const started = performance.now();
        const logout = await accounts(product.base, "logout", { refreshToken: user.refreshToken }, user.accessToken);
        const refresh = await accounts(product.base, "refresh", { refreshToken: user.refreshToken });
        let refusedAt: number | null = null;
        let last = "";
        while (performance.now() - started < 10_000) {
          const res = await gql(product.base, user.accessToken, VIEWER);
          last = res.errors?.[0]?.extensions?.code ?? "data";
          if (last === "UNAUTHENTICATED") {
            refusedAt = performance.now() - started;
            break;
          }
          await sleep(100);
        }
        return {
          logout,
          refresh,
          refusedAt,
          bytes: logout.bytes + refresh.bytes,
          ms: refusedAt ?? performance.now() - started,
          outcome: `logout ${logout.status}; refresh ${refresh.status} ${refresh.body?.error?.code ?? ""}; access token ${refusedAt === null ? `still accepted after 10 s (${last})` : `refused after ${refusedAt.toFixed(0)} ms`}`,
        };
      },
    );
    expect(answer.logout.status).toBeLessThan(300);
    expect(answer.refresh.status).toBe(401);
    expect(answer.refusedAt).not.toBeNull();
    expect(answer.refusedAt!).toBeLessThan(REFUSED_WITHIN_MS);
    expectHealthy(figure);
  });
});

describe("hostile input: jobs and per-user limits", { timeout: ATTACK_TIMEOUT_MS }, () => {
  let product: HostileProduct;
  let tiny: string;

  beforeAll(async () => {
    product = await startHostileProduct({
      VP_WORKER_CONCURRENCY: "2",
      VP_MAX_SOURCE_PIXELS: "100000",
      VP_MAX_ARCHIVE_BYTES: "500000",
      VP_JOB_STALL_SECONDS: "5",
      VP_MAX_LIVE_JOBS_PER_USER: "2",
      VP_MAX_JOBS_PER_USER_PER_HOUR: "5",
      VP_MAX_STORED_BYTES_PER_USER: "30000000",
    });
    tiny = await makeTestVideo(join(work, "tiny.mp4"), { seconds: 1, size: "160x120", rate: 10 });
  });
  afterAll(async () => {
    await product?.stop();
  });

  it("3. refuses 100 startExtraction aliases in one mutation before any job is created", async () => {
    const user = await newUser(product, "aliases");
    const up = await uploadFile(product.base, user.accessToken, tiny, { mode: "COUNT", count: 1 });
    await waitForJob(product.base, user.accessToken, up.job.id, 30_000);
    const jobsBefore = (await videoOf(product.base, user.accessToken, up.videoId)).jobs.nodes.length;
    const fields = Array.from(
      { length: 100 },
      (_, i) =>
        `s${i}: startExtraction(input: { videoId: $v, extraction: { mode: COUNT, count: 1 } }) { job { id } userErrors { code } }`,
    );
    const { answer, figure } = await underAttack(product.base, "3 100 startExtraction aliases", async () => {
      const res = await postGraphql(product.base, user.accessToken, {
        query: `mutation($v: ID!) {\n${fields.join("\n")}\n}`,
        variables: { v: up.videoId },
      });
      return { ...res, outcome: graphqlOutcome(res) };
    });
    const jobs = (await videoOf(product.base, user.accessToken, up.videoId)).jobs.nodes;
    console.log(`[hostile] 3 jobs of the video: ${jobsBefore} before, ${jobs.length} after`);
    // Before the defence, each alias made a job: cancel them so the rest of the suite has a free worker.
    for (const j of jobs)
      if (j.status === "QUEUED" || j.status === "RUNNING") await cancelJob(product.base, user.accessToken, j.id);
    expectGraphqlRefusal(answer);
    expect(jobs.length).toBe(jobsBefore);
    expectHealthy(figure);
  });

  it("4a. refuses 8192x8192 PNG upscaled output (output pixels) as a userError", async () => {
    const user = await newUser(product, "pixels");
    const noise = await makeTestVideo(join(work, "noise-small.mp4"), {
      seconds: 1,
      size: "160x120",
      rate: 10,
      noisy: true,
    });
    const up = await uploadFile(product.base, user.accessToken, noise, { mode: "COUNT", count: 1 });
    await waitForJob(product.base, user.accessToken, up.job.id, 30_000);
    const jobsBefore = (await videoOf(product.base, user.accessToken, up.videoId)).jobs.nodes.length;
    const { answer, figure } = await underAttack(product.base, "4a 8192x8192 PNG x4, allowUpscale", async () => {
      const started = performance.now();
      const res = await startExtraction(product.base, user.accessToken, up.videoId, {
        mode: "COUNT",
        count: 4,
        format: "PNG",
        width: 8192,
        height: 8192,
        fit: "FILL",
        allowUpscale: true,
      });
      if (res.job === null)
        return {
          res,
          bytes: 0,
          ms: performance.now() - started,
          outcome: `userErrors ${JSON.stringify(res.userErrors)}`,
        };
      // Accepted: how long the job takes (bounded), and how big its archive is.
      const job = await waitForJob(product.base, user.accessToken, res.job.id, 30_000);
      if (job.status === "QUEUED" || job.status === "RUNNING") await cancelJob(product.base, user.accessToken, job.id);
      return {
        res,
        bytes: job.result?.archiveSizeBytes ?? 0,
        ms: performance.now() - started,
        outcome: `accepted; job ${job.status} ${job.error?.code ?? ""} (archive ${job.result?.archiveSizeBytes ?? "-"} bytes)`,
      };
    });
    expect(answer.res.job).toBeNull();
    expect(answer.res.userErrors[0]?.message).toMatch(/pixel/i);
    expect((await videoOf(product.base, user.accessToken, up.videoId)).jobs.nodes.length).toBe(jobsBefore);
    expect(answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
    expectHealthy(figure);
  });

  it("4b. fails a job whose archive would cross VP_MAX_ARCHIVE_BYTES, with its own code, and keeps no archive", async () => {
    const user = await newUser(product, "archive");
    const noise = await makeTestVideo(join(work, "noise.mp4"), { seconds: 1, size: "320x240", rate: 10, noisy: true });
    const archives = join(product.dataDir, "blobs", "archives");
    const before = await filesUnder(archives);
    const { answer, figure } = await underAttack(product.base, "4b archive over 500 kB (10 PNG of noise)", async () => {
      const started = performance.now();
      const up = await uploadFile(product.base, user.accessToken, noise, { mode: "COUNT", count: 10, format: "PNG" });
      const job = await waitForJob(product.base, user.accessToken, up.job.id, 30_000);
      return {
        job,
        bytes: job.result?.archiveSizeBytes ?? 0,
        ms: performance.now() - started,
        outcome: `job ${job.status} ${job.error?.code ?? ""} ${job.error?.message ?? ""}`.trim(),
      };
    });
    await sleep(300);
    const left = (await filesUnder(archives)).filter((f) => !before.includes(f));
    console.log(`[hostile] 4b files left under blobs/archives: ${left.length}`);
    expect(answer.job.status).toBe("FAILED");
    expect(answer.job.error.code).toMatch(/ARCHIVE/);
    expect(left).toEqual([]);
    expectHealthy(figure);
  });

  it("4c. rejects a video whose source pixels exceed VP_MAX_SOURCE_PIXELS as too large", async () => {
    const user = await newUser(product, "source");
    const big = await makeTestVideo(join(work, "big.mp4"), { seconds: 1, size: "640x360", rate: 10 });
    const { answer, figure } = await underAttack(product.base, "4c 640x360 source over 100,000 pixels", async () => {
      const started = performance.now();
      const up = await uploadFile(product.base, user.accessToken, big, { mode: "COUNT", count: 1 });
      const job = up.job ? await waitForJob(product.base, user.accessToken, up.job.id, 30_000) : null;
      const video = await videoOf(product.base, user.accessToken, up.videoId);
      return {
        job,
        video,
        bytes: 0,
        ms: performance.now() - started,
        outcome: `video ${video.status} ${video.rejectionReason ?? ""}; job ${job?.status ?? "-"} ${job?.error?.code ?? ""}`,
      };
    });
    expect(answer.video.status).toBe("REJECTED");
    expect(answer.video.rejectionReason).toMatch(/too large/i);
    expect(answer.ms).toBeLessThan(10_000);
    expectHealthy(figure);
  });

  it("4d. enforces live jobs, jobs per hour and stored bytes per user as QUOTA_EXCEEDED", async () => {
    const user = await newUser(product, "quota");
    const clip = await makeTestVideo(join(work, "quota.mp4"), { seconds: 5, size: "320x240", rate: 10 });
    const { answer, figure } = await underAttack(
      product.base,
      "4d quotas: live 2, 5 jobs/hour, 30 MB stored",
      async () => {
        const started = performance.now();
        // Live: the upload's job and one more are QUEUED/RUNNING; a third is refused.
        const up = await uploadFile(product.base, user.accessToken, clip, { mode: "INTERVAL", intervalSeconds: 0.25 });
        const second = await startExtraction(product.base, user.accessToken, up.videoId, {
          mode: "INTERVAL",
          intervalSeconds: 0.25,
        });
        const third = await startExtraction(product.base, user.accessToken, up.videoId, { mode: "COUNT", count: 1 });
        const liveRefusal = third.userErrors[0] ?? null;
        for (const j of [up.job, second.job, third.job])
          if (j) await waitForJob(product.base, user.accessToken, j.id, 30_000);
        // Per hour: started jobs count, refused ones do not; the sixth is refused.
        let started5 = [up.job, second.job, third.job].filter(Boolean).length;
        let hourRefusal = null;
        for (let i = 0; i < 6 && hourRefusal === null; i++) {
          const next = await startExtraction(product.base, user.accessToken, up.videoId, { mode: "COUNT", count: 1 });
          if (next.job) {
            started5++;
            await waitForJob(product.base, user.accessToken, next.job.id, 30_000);
          } else hourRefusal = { ...next.userErrors[0]!, after: started5 };
        }
        // Stored bytes: a declared size over what is left is refused at once.
        const other = await newUser(product, "stored");
        const stored = await createUpload(product.base, other.accessToken, {
          filename: "huge.mp4",
          contentType: "video/mp4",
          sizeBytes: 40_000_000,
          extraction: { mode: "COUNT", count: 1 },
        });
        const storedRefusal = stored.userErrors[0] ? { ...stored.userErrors[0], videoId: stored.videoId } : null;
        return {
          liveRefusal,
          hourRefusal,
          storedRefusal,
          bytes: 0,
          ms: performance.now() - started,
          outcome: `live: ${liveRefusal?.code ?? "accepted"}; hour: ${hourRefusal ? `${hourRefusal.code} after ${hourRefusal.after}` : `${started5} started`}; stored: ${storedRefusal?.code ?? "accepted"}`,
        };
      },
    );
    expect(answer.liveRefusal?.code).toBe("QUOTA_EXCEEDED");
    expect(answer.hourRefusal?.code).toBe("QUOTA_EXCEEDED");
    expect(answer.hourRefusal?.after).toBe(5);
    expect(answer.storedRefusal?.code).toBe("QUOTA_EXCEEDED");
    expect(answer.storedRefusal?.videoId).toBeNull();
    expectHealthy(figure);
  });

  it("8. ends a job on a container that claims 10,000 s but holds 5 s within 20 s, in every sampling mode", async () => {
    const liar = await makeLyingVideo(join(work, "liar.mkv"));
    expect(await probedDuration(liar)).toBe(10_000);
    const archives = join(product.dataDir, "blobs", "archives");
    const modes: Array<Record<string, unknown>> = [
      // The attack as filed: a frame every 10 s "of 10,000 s" (1,000 frames planned, one exists).
      { mode: "INTERVAL", intervalSeconds: 10 },
      { mode: "COUNT", count: 4 },
      { mode: "KEYFRAMES" },
      { mode: "SCENES" },
    ];
    for (const extraction of modes) {
      // A user per mode: a video whose job fails this way is REJECTED, and jobs per hour are limited.
      const user = await newUser(product, "liar");
      const before = await filesUnder(archives);
      const { answer, figure } = await underAttack(
        product.base,
        `8 container claiming 10,000 s (holds 5 s), ${String(extraction.mode)}`,
        async () => {
          const started = performance.now();
          const up = await uploadFile(product.base, user.accessToken, liar, extraction, "video/x-matroska");
          const job = up.job ? await waitForJob(product.base, user.accessToken, up.job.id, 30_000) : null;
          if (job && (job.status === "QUEUED" || job.status === "RUNNING"))
            await cancelJob(product.base, user.accessToken, job.id);
          return {
            up,
            job,
            bytes: job?.result?.archiveSizeBytes ?? 0,
            ms: performance.now() - started,
            outcome: job
              ? `job ${job.status} ${job.error?.code ?? ""} ${job.error?.message ?? ""} frames ${job.result?.frameCount ?? job.framesExtracted}`
              : `refused ${JSON.stringify(up.userErrors)}`,
          };
        },
      );
      expect(answer.job, figure.outcome).not.toBeNull();
      expect(["SUCCEEDED", "FAILED"], figure.outcome).toContain(answer.job.status);
      if (answer.job.status === "FAILED") {
        expect(answer.job.error.code).toMatch(/^[A-Z_]+$/);
        expect(answer.job.error.code).not.toMatch(/INTERNAL|TIMEOUT/);
        await sleep(300);
        expect((await filesUnder(archives)).filter((f) => !before.includes(f))).toEqual([]);
      } else expect(answer.job.result.frameCount).toBeLessThanOrEqual(50);
      expect(answer.ms).toBeLessThan(20_000);
      expectHealthy(figure);
    }
  });
});

describe("hostile input: a socket outliving its token", { timeout: ATTACK_TIMEOUT_MS }, () => {
  it("2f. closes a socket when its access token expires (VP_ACCESS_TOKEN_TTL_SECONDS=60)", async () => {
    const { product, ws, expiresAt } = await expiring;
    expect(ws.acked).toBe(true);
    expect(ws.socket.readyState).toBe(ws.socket.OPEN);
    const { answer, figure } = await underAttack(
      product.base,
      "2f socket past its token's expiry (TTL 60 s)",
      async () => {
        const closed = await closedWithin(ws, Math.max(0, expiresAt - Date.now()) + 10_000);
        ws.close();
        const late = closed ? closed.wallAt - expiresAt : null;
        return {
          closed,
          late,
          ms: late ?? 10_000,
          bytes: ws.bytes(),
          outcome: closed
            ? `closed ${closed.code} ${closed.reason}, ${late} ms after exp`
            : "still open 10 s after its token expired",
        };
      },
    );
    expect(answer.closed?.code).toBe(4403);
    expect(answer.closed?.reason).toMatch(/TOKEN_EXPIRED/);
    // Not before the token's expiry (exp has whole seconds), and within the refusal bound after it.
    expect(answer.late!).toBeGreaterThan(-1000);
    expect(answer.late!).toBeLessThan(REFUSED_WITHIN_MS);
    expectHealthy(figure);
  });
});
