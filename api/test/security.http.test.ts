import { connect } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccountsHandler, TokenBucketRateLimiter, toNodeHandler } from "@vp/auth-lambda";
import { DomainError } from "@vp/domain";
import { classifyHead, validatePlan } from "@vp/engine";
import { createLocalPlatform, type LocalPlatform } from "@vp/platform";
import { getIntrospectionQuery, parse } from "graphql";
import { createClient, type Client } from "graphql-ws";
import { Counter, Registry } from "prom-client";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSubscriptionTransport } from "../../client/src/sdk/subscriptions.js";
import { loadApiConfig } from "../src/config.js";
import { startApiServer, type ApiServer } from "../src/http/server.js";
import { silentLogger } from "./helpers/env.js";
import { CANCEL_JOB, CREATE_UPLOAD, JOB_UPDATED } from "./helpers/operations.js";

/** Access tokens live this long here, so expiry happens during a test. */
const TOKEN_TTL_SECONDS = 3;

let dir: string;
let platform: LocalPlatform;
let server: ApiServer;
const revoked = new Set<string>();
const clients: Client[] = [];
let userCount = 0;

interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

async function post(body: string, token?: string): Promise<{ status: number; body: GqlBody; bytes: number }> {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as GqlBody, bytes: text.length };
}
const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  post(JSON.stringify({ query, variables }), token);
const codeOf = (body: GqlBody) => body.errors?.[0]?.extensions?.["code"];

async function login(email: string): Promise<string> {
  const call = (path: string) =>
    fetch(`${server.url}/api/v1/accounts/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: "correct horse battery staple 42" }),
    });
  const res = await call("login");
  if (res.status === 200) return ((await res.json()) as { accessToken: string }).accessToken;
  expect([201, 202]).toContain((await call("signup")).status);
  return login(email);
}
const newUser = () => login(`user${++userCount}@example.com`);

const wsUrl = () => server.url.replace(/^http/, "ws") + "/graphql";
function wsClient(token: string, extra: Partial<Parameters<typeof createClient>[0]> = {}): Client {
  const client = createClient({
    url: wsUrl(),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
    ...extra,
  });
  clients.push(client);
  return client;
}

/** A raw graphql-ws socket: resolves with the close event once the server closes it. */
function rawSocket(token: string | null): {
  ws: WebSocket;
  acked: Promise<void>;
  closed: Promise<{ code: number; reason: string; at: number }>;
} {
  const ws = new WebSocket(wsUrl(), "graphql-transport-ws");
  const acked = new Promise<void>((resolve) => {
    ws.on("message", (data) => {
      if ((JSON.parse((data as Buffer).toString("utf8")) as { type: string }).type === "connection_ack") resolve();
    });
  });
  ws.on("open", () =>
    ws.send(JSON.stringify({ type: "connection_init", payload: token ? { authorization: `Bearer ${token}` } : {} })),
  );
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: String(reason), at: Date.now() })),
  );
  ws.on("error", () => undefined);
  return { ws, acked, closed };
}

/** A queued job of a fresh video (no worker runs here, so it stays QUEUED until cancelled). */
async function queuedJob(token: string): Promise<string> {
  const tiny = Buffer.alloc(4096, 0);
  const created = await gql(
    CREATE_UPLOAD,
    { input: { filename: "a.mp4", contentType: "video/mp4", sizeBytes: tiny.length } },
    token,
  );
  const { video, upload } = (
    created.body.data as {
      createVideoUpload: {
        video: { id: string };
        upload: { url: string; method: string; headers: Array<{ name: string; value: string }> };
      };
    }
  ).createVideoUpload;
  await fetch(upload.url, {
    method: upload.method,
    headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])),
    body: new Uint8Array(tiny),
  });
  const completed = await gql(
    `mutation($input: CompleteVideoUploadInput!) { completeVideoUpload(input: $input) { job { id } userErrors { code } } }`,
    { input: { videoId: video.id } },
    token,
  );
  return (completed.body.data as { completeVideoUpload: { job: { id: string } } }).completeVideoUpload.job.id;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vp-api-security-"));
  const config = loadApiConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    VP_DATA_DIR: join(dir, "data"),
    VP_HTTP_HEADERS_TIMEOUT_SECONDS: "2",
    VP_HTTP_BODY_TIMEOUT_SECONDS: "2",
    VP_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: "3",
    VP_WS_MAX_CONNECTIONS_PER_USER: "2",
    VP_WS_REVERIFY_SECONDS: "1",
    VP_METRICS_PORT: "0",
  });
  let publicUrl = "http://localhost:0";
  platform = await createLocalPlatform({
    dataDir: config.dataDir,
    publicUrl: () => publicUrl,
    issuer: "urn:video-processor:test",
    accessTokenTtlSeconds: TOKEN_TTL_SECONDS,
    requireEmailConfirmation: false,
    mailFrom: "test <test@localhost>",
    jobMaxAttempts: 3,
  });
  const registry = new Registry();
  new Counter({ name: "vp_test_total", help: "a metric", registers: [registry] }).inc();
  server = await startApiServer({
    // The accounts side is stood in for: the platform's own tokens, valid until their `exp`
    // unless revoked. What is under test is how the API re-checks them, not their signature.
    platform: {
      ...platform,
      tokens: {
        verify: async (token: string) => {
          const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as {
            sub: string;
            exp: number;
          };
          if (revoked.has(token)) throw new DomainError("INVALID_TOKEN", "revoked");
          if (claims.exp * 1000 <= Date.now()) throw new DomainError("TOKEN_EXPIRED", "expired");
          return { userId: claims.sub, email: null };
        },
      },
    },
    config,
    logger: silentLogger,
    metrics: registry,
    engine: { validatePlan, classifyHead },
    accountsHandler: toNodeHandler(
      createAccountsHandler({
        identity: platform.identity,
        rateLimiter: new TokenBucketRateLimiter({ capacity: 1000, refillPerSecond: 100 }),
        logger: silentLogger,
      }),
      { maxBodyBytes: 8192 },
    ),
    blobHandler: platform.blobHttpHandler,
    onListening: (url) => {
      publicUrl = url;
    },
  });
});

afterAll(async () => {
  await Promise.all(clients.map(async (c) => c.dispose()));
  await server?.close();
  await platform?.close();
  await rm(dir, { recursive: true, force: true });
});

/** 5,700 aliases of a deep introspection: the 990 KB body that used to produce 200 MB in 14 s. */
const introspectionBomb = (aliases: number) =>
  `{ ${Array.from({ length: aliases }, (_, i) => `a${i}: __schema { types { name kind description fields { name description args { name description type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`).join(" ")} }`;

describe("GraphQL limits over HTTP", () => {
  it("refuses the 990 KB introspection alias bomb in well under 100 ms, by token count, while /healthz stays fast", async () => {
    const body = JSON.stringify({ query: introspectionBomb(5270) });
    expect(body.length).toBeGreaterThan(900_000);
    await post(body); // warm-up
    const started = performance.now();
    const [res, health] = await Promise.all([
      post(body),
      (async () => {
        const t = performance.now();
        await fetch(`${server.url}/healthz`);
        return performance.now() - t;
      })(),
    ]);
    const ms = performance.now() - started;
    console.log(
      `introspection bomb: ${body.length} B refused in ${ms.toFixed(1)} ms (${res.bytes} B answer), /healthz ${health.toFixed(1)} ms`,
    );
    expect(res.status).toBe(400);
    expect(codeOf(res.body)).toBe("QUERY_TOO_LARGE");
    expect(res.bytes).toBeLessThan(1000);
    expect(ms).toBeLessThan(100);
    expect(health).toBeLessThan(100);
  });

  it("caps aliases, and charges introspection: one full introspection per operation (GraphiQL's) passes, two do not", async () => {
    const aliases = await gql(introspectionBomb(31));
    expect(aliases.status).toBe(400);
    expect(aliases.body.errors?.[0]?.extensions).toMatchObject({ code: "TOO_MANY_ALIASES", count: 31, max: 30 });

    const full = getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true });
    const once = await gql(full);
    expect(once.status).toBe(200);
    expect(once.body.errors).toBeUndefined();

    const fragments = full.slice(full.indexOf("fragment FullType"));
    const twice = await gql(
      `{ a: __schema { types { ...FullType } } b: __schema { types { ...FullType } } } ${fragments}`,
    );
    expect(twice.status).toBe(400);
    expect(codeOf(twice.body)).toBe("INTROSPECTION_TOO_COSTLY");
    // Re-nesting `fields { type { fields ...` is refused by graphql's own MaxIntrospectionDepthRule (and costed: limits.test.ts).
  });

  it("refuses 100 startExtraction aliases before any resolver runs, and caps directives", async () => {
    const token = await newUser();
    const hundred = `mutation { ${Array.from({ length: 100 }, (_, i) => `s${i}: createVideoUpload(input: { filename: "a.mp4", contentType: "video/mp4", sizeBytes: 10 }) { video { id } }`).join(" ")} }`;
    const refused = await gql(hundred, {}, token);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: "TOO_MANY_ROOT_MUTATION_FIELDS",
      count: 100,
      max: 1,
    });
    const starts = `mutation { ${Array.from({ length: 100 }, (_, i) => `s${i}: startExtraction(input: { videoId: "x" }) { job { id } }`).join(" ")} }`;
    expect(codeOf((await gql(starts, {}, token)).body)).toBe("TOO_MANY_ROOT_MUTATION_FIELDS");
    const videos = await gql(`{ videos(first: 10) { nodes { id } } }`, {}, token);
    expect(videos.body.data).toEqual({ videos: { nodes: [] } });

    const directives = await gql(
      `{ viewer { ${Array.from({ length: 51 }, () => "id @include(if: true)").join(" ")} } }`,
      {},
      token,
    );
    expect(directives.status).toBe(400);
    expect(codeOf(directives.body)).toBe("TOO_MANY_DIRECTIVES");
  });
});

describe("HTTP timeouts", () => {
  it("cuts off a client sending its headers one byte a second within the headers timeout", async () => {
    const socket = connect((server as { port: number }).port, "127.0.0.1");
    const started = Date.now();
    const header = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "a".repeat(100);
    let i = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed && i < header.length) socket.write(header[i++]!);
    }, 1000);
    let answer = "";
    socket.on("data", (d) => (answer += String(d)));
    await new Promise<void>((resolve) => socket.on("close", () => resolve()));
    clearInterval(drip);
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `slow headers: closed after ${seconds.toFixed(1)} s (${i} bytes sent), answer ${JSON.stringify(answer.split("\r\n")[0])}`,
    );
    expect(seconds).toBeLessThan(4.5);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it("answers 408 and closes when a GraphQL body trickles in slower than the body timeout", async () => {
    const socket = connect(server.port, "127.0.0.1");
    const started = Date.now();
    socket.write(
      "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
    );
    const drip = setInterval(() => !socket.destroyed && socket.write(" "), 500);
    let answer = "";
    socket.on("data", (d) => (answer += String(d)));
    await new Promise<void>((resolve) => socket.on("close", () => resolve()));
    clearInterval(drip);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(4);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain("REQUEST_TIMEOUT");
  });
});

describe("/metrics", () => {
  it("is not on the API port; it is on VP_METRICS_PORT", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect(server.metricsPort).not.toBeNull();
    const res = await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("vp_test_total 1");
    expect((await fetch(`http://127.0.0.1:${server.metricsPort}/healthz`)).status).toBe(200);
  });
});

describe("WebSocket limits", () => {
  it("closes an unauthenticated 20 MB frame with 1009 without reading it all", async () => {
    const ws = new WebSocket(wsUrl(), "graphql-transport-ws");
    await new Promise((resolve) => ws.on("open", resolve));
    const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
    ws.on("error", () => undefined);
    const started = Date.now();
    ws.send(JSON.stringify({ type: "connection_init", payload: { x: "a".repeat(20 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
    console.log(`20 MB frame: closed 1009 after ${Date.now() - started} ms`);
  });

  it("applies the same document limits as HTTP", async () => {
    const client = wsClient(await newUser());
    const refusal = (query: string) =>
      new Promise<unknown>((resolve) => {
        client.subscribe({ query }, { next: resolve, error: resolve, complete: () => resolve("completed") });
      });
    const tokens = (await refusal(introspectionBomb(300))) as Array<{ extensions: { code: string } }>;
    expect(tokens[0]?.extensions.code).toBe("QUERY_TOO_LARGE");
    const aliases = (await refusal(
      `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: viewer { id }`).join(" ")} }`,
    )) as Array<{ extensions: { code: string } }>;
    expect(aliases[0]?.extensions.code).toBe("TOO_MANY_ALIASES");
    const mutations = (await refusal(
      `mutation { a: cancelJob(input: { jobId: "x" }) { job { id } } b: cancelJob(input: { jobId: "y" }) { job { id } } }`,
    )) as Array<{ extensions: { code: string } }>;
    expect(mutations[0]?.extensions.code).toBe("TOO_MANY_ROOT_MUTATION_FIELDS");
  });

  it("refuses a subscription over the per-connection limit with TOO_MANY_SUBSCRIPTIONS, and a connection over the per-user limit with 4429", async () => {
    const token = await newUser();
    const job = await queuedJob(token);
    const client = wsClient(token);
    const firsts = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<unknown>((resolve) => {
            client.subscribe(
              { query: JOB_UPDATED, variables: { id: job } },
              { next: resolve, error: resolve, complete: () => undefined },
            );
          }),
      ),
    );
    for (const first of firsts) expect(first).toMatchObject({ data: { jobUpdated: { status: "QUEUED" } } });
    const fourth = (await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: JOB_UPDATED, variables: { id: job } },
        { next: resolve, error: resolve, complete: () => undefined },
      );
    })) as Array<{ extensions: { code: string; max: number } }>;
    expect(fourth[0]?.extensions).toEqual({ code: "TOO_MANY_SUBSCRIPTIONS", max: 3 });

    // This user has one connection open (client above); a second is fine, a third is closed.
    const second = rawSocket(token);
    await second.acked;
    const third = rawSocket(token);
    const closed = await third.closed;
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/Too many connections: at most 2 per user/);
    second.ws.close();
  });

  it("closes a socket with 4403 TOKEN_EXPIRED when its token expires, and with 4403 INVALID_TOKEN when it stops verifying", async () => {
    const token = await newUser();
    const expiring = rawSocket(token);
    await expiring.acked;
    const { exp } = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { exp: number };
    const closed = await expiring.closed;
    expect(closed).toMatchObject({ code: 4403, reason: "Forbidden: TOKEN_EXPIRED" });
    expect(Math.abs(closed.at - exp * 1000)).toBeLessThan(1500);

    const other = await newUser();
    const revokedSocket = rawSocket(other);
    await revokedSocket.acked;
    const at = Date.now();
    revoked.add(other);
    const closedRevoked = await revokedSocket.closed;
    expect(closedRevoked).toMatchObject({ code: 4403, reason: "Forbidden: INVALID_TOKEN" });
    expect(closedRevoked.at - at).toBeLessThan(2000);
  });

  it("the SDK reconnects with a fresh token when its socket is closed for expiry, and keeps receiving the job's updates", async () => {
    const email = `sdk${Date.now()}@example.com`;
    const first = await login(email);
    const job = await queuedJob(first);
    const tokens: string[] = [];
    const transport = createSubscriptionTransport({
      url: wsUrl(),
      // A refreshing client: a new token on every (re)connection.
      getToken: async () => {
        const token = tokens.length === 0 ? first : await login(email);
        tokens.push(token);
        return token;
      },
      canRefreshToken: true,
    });
    try {
      const updates = transport.subscribe<{ jobUpdated: { status: string } }, { id: string }>(
        parse(`subscription Watch($id: ID!) { jobUpdated(jobId: $id) { id status } }`),
        { id: job },
      );
      const seen: string[] = [];
      for await (const { jobUpdated } of updates) {
        seen.push(jobUpdated.status);
        // The replayed current state after the reconnection: the job changes now, with a fresh token.
        if (seen.length === 2) void gql(CANCEL_JOB, { id: job }, await login(email));
        if (jobUpdated.status === "CANCELLED") break;
      }
      expect(tokens.length).toBeGreaterThanOrEqual(2);
      expect(new Set(tokens).size).toBe(tokens.length);
      expect(seen).toEqual(["QUEUED", "QUEUED", "CANCELLED"]);
    } finally {
      await transport.close();
    }
  }, 15_000);
});
