import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccountsHandler, TokenBucketRateLimiter, toNodeHandler } from "@vp/auth-lambda";
import { loadApiConfig as loadConfig } from "../src/config.js";
import { createLocalPlatform, type LocalPlatform } from "@vp/platform";
import { classifyHead, validatePlan } from "@vp/engine";
import { createClient, type Client } from "graphql-ws";
import { Registry } from "prom-client";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer, type ApiServer } from "../src/http/server.js";
import { makeTinyVideo, silentLogger } from "./helpers/env.js";
import { CANCEL_JOB, COMPLETE_UPLOAD, CREATE_UPLOAD, JOB_UPDATED } from "./helpers/operations.js";

let dir: string;
let platform: LocalPlatform;
let server: ApiServer;
let tiny: Buffer;
let failProbe = false;
let aliceToken: string;
let bobToken: string;
const clients: Client[] = [];

interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

async function gql<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GqlResponse<T>> {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as GqlResponse<T>["body"],
  };
}

async function signUpAndLogIn(email: string): Promise<string> {
  const post = (path: string) =>
    fetch(`${server.url}/api/v1/accounts/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email,
        password: "correct horse battery staple 42",
      }),
    });
  expect((await post("signup")).status).toBe(202);
  const login = await post("login");
  expect(login.status).toBe(200);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

function wsClient(token: string | null, extra: Partial<Parameters<typeof createClient>[0]> = {}): Client {
  const client = createClient({
    url: server.url.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    ...extra,
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vp-api-http-"));
  const graphiqlDir = join(dir, "graphiql");
  await mkdir(graphiqlDir);
  await writeFile(join(graphiqlDir, "index.html"), "<!doctype html><title>GraphiQL</title>");
  await writeFile(join(graphiqlDir, "app.js"), "console.log('graphiql')");
  tiny = await makeTinyVideo(dir);

  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    VP_DATA_DIR: join(dir, "data"),
    VP_MAX_UPLOAD_BYTES: "5000000",
    VP_GRAPHQL_MAX_DEPTH: "8",
    VP_GRAPHQL_MAX_COST: "2000",
    // /metrics on the API port only behind a bearer token (by default it is not served here at all).
    VP_METRICS_TOKEN: "metrics-token-0123456789",
  });
  let publicUrl = "http://localhost:0";
  platform = await createLocalPlatform({
    dataDir: config.dataDir,
    publicUrl: () => publicUrl,
    issuer: "urn:video-processor:test",
    accessTokenTtlSeconds: 600,
    requireEmailConfirmation: false,
    mailFrom: "test <test@localhost>",
    jobMaxAttempts: 3,
  });
  server = await startApiServer({
    platform,
    config,
    logger: silentLogger,
    metrics: new Registry(),
    engine: {
      validatePlan,
      classifyHead: (head) => {
        if (failProbe) throw new Error("disk exploded at /secret/path");
        return classifyHead(head);
      },
    },
    accountsHandler: toNodeHandler(
      createAccountsHandler({
        identity: platform.identity,
        rateLimiter: new TokenBucketRateLimiter({
          capacity: 100,
          refillPerSecond: 10,
        }),
        logger: silentLogger,
      }),
      { maxBodyBytes: 8192 },
    ),
    blobHandler: platform.blobHttpHandler,
    jwks: () => platform.jwks(),
    graphiqlDir,
    onListening: (url) => {
      publicUrl = url;
    },
  });
  aliceToken = await signUpAndLogIn("alice@example.com");
  bobToken = await signUpAndLogIn("bob@example.com");
});

afterAll(async () => {
  await Promise.all(clients.map((c) => Promise.resolve(c.dispose())));
  await server?.close();
  await platform?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("HTTP basics", () => {
  it("listens on a free port with a localhost url, answers /healthz and echoes or makes a request id", async () => {
    expect(server.url).toBe(`http://localhost:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const res = await fetch(`${server.url}/healthz`, {
      headers: { "x-request-id": "req-123" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toBe("req-123");
    const other = await fetch(`${server.url}/healthz`, {
      headers: { "x-request-id": "bad id with spaces" },
    });
    expect(other.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves the JWKS, CORS preflights allowing Authorization, and JSON 404s", async () => {
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    const pre = await fetch(`${server.url}/graphql`, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });

  it("serves GraphiQL to browsers and GraphQL to GET clients at /graphql", async () => {
    const page = await fetch(`${server.url}/graphql`, {
      headers: { accept: "text/html,application/xhtml+xml" },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>GraphiQL</title>");
    const asset = await fetch(`${server.url}/graphiql/app.js`);
    expect(asset.status).toBe(200);
    const json = await fetch(`${server.url}/graphql?query=${encodeURIComponent("{ __typename }")}`, {
      headers: {
        accept: "application/json",
        "apollo-require-preflight": "true",
      },
    });
    expect(await json.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("refuses oversized GraphQL bodies with 413", async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `{ __typename }`,
        variables: { pad: "x".repeat(1_100_000) },
      }),
    });
    expect(res.status).toBe(413);
  });
});

describe("GraphQL over HTTP", () => {
  it("answers UNAUTHENTICATED (HTTP 200) with a reason for missing, malformed and forged tokens", async () => {
    const none = await gql(`{ viewer { id } }`);
    expect(none.status).toBe(200);
    expect(none.body.errors?.[0]?.extensions).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "MISSING_TOKEN",
    });
    const forged = await gql(`{ viewer { id } }`, {}, `${aliceToken.slice(0, -4)}AAAA`);
    expect(forged.body.errors?.[0]?.extensions).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "INVALID_TOKEN",
    });
    const basic = await gql(`{ viewer { id } }`, {}, undefined, {
      authorization: "Basic dXNlcjpwYXNz",
    });
    expect(basic.body.errors?.[0]?.extensions).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "INVALID_TOKEN",
    });
    const ok = await gql<{ viewer: { email: string } }>(`{ viewer { email } }`, {}, aliceToken);
    expect(ok.body).toEqual({
      data: { viewer: { email: "alice@example.com" } },
    });
  });

  it("refuses too deep and too costly operations with 400 and clear codes", async () => {
    const deep = await gql(
      `{ viewer { videos { nodes { jobs { nodes { video { latestJob { video { id } } } } } } } } }`,
      {},
      aliceToken,
    );
    expect(deep.status).toBe(400);
    expect(deep.body.errors?.[0]?.extensions?.["code"]).toBe("QUERY_TOO_DEEP");
    expect(deep.body.errors?.[0]?.message).toMatch(/maximum allowed depth is 8/);
    const costly = await gql(
      `query($n: Int!) { videos(first: $n) { nodes { jobs(first: $n) { nodes { id status } } } } }`,
      { n: 100 },
      aliceToken,
    );
    expect(costly.status).toBe(400);
    expect(costly.body.errors?.[0]?.extensions).toMatchObject({
      code: "QUERY_TOO_COSTLY",
      maxCost: 2000,
    });
    const cheap = await gql(
      `query($n: Int!) { videos(first: $n) { nodes { jobs(first: $n) { nodes { id status } } } } }`,
      { n: 5 },
      aliceToken,
    );
    expect(cheap.status).toBe(200);
    expect(cheap.body.errors).toBeUndefined();
  });

  it("masks unexpected failures as 'Internal server error' with no message, cause or stack", async () => {
    const created = await gql<{
      createVideoUpload: {
        video: { id: string };
        upload: {
          url: string;
          headers: Array<{ name: string; value: string }>;
        };
      };
    }>(
      CREATE_UPLOAD,
      {
        input: {
          filename: "a.mp4",
          contentType: "video/mp4",
          sizeBytes: tiny.length,
        },
      },
      aliceToken,
    );
    const { video, upload } = created.body.data!.createVideoUpload;
    const put = await fetch(upload.url, {
      method: "PUT",
      headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])),
      body: new Uint8Array(tiny),
    });
    expect(put.status).toBeLessThan(300);
    failProbe = true;
    try {
      const res = await gql(COMPLETE_UPLOAD, { input: { videoId: video.id } }, aliceToken);
      expect(res.status).toBe(200);
      expect(res.body.errors).toEqual([
        {
          message: "Internal server error",
          locations: expect.any(Array),
          path: ["completeVideoUpload"],
          extensions: { code: "INTERNAL_SERVER_ERROR" },
        },
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/secret|exploded|stack/);
    } finally {
      failProbe = false;
    }
  });

  it("exposes Prometheus metrics behind VP_METRICS_TOKEN: requests, GraphQL operations and queue depth", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const res = await fetch(`${server.url}/metrics`, {
      headers: { authorization: "Bearer metrics-token-0123456789" },
    });
    const text = await res.text();
    expect(text).toMatch(/vp_http_requests_total\{method="POST",route="\/graphql",status="200"\} \d+/);
    expect(text).toContain("vp_http_request_duration_seconds_bucket");
    expect(text).toMatch(/vp_graphql_operations_total\{type="query",transport="http",outcome="ok"\} \d+/);
    expect(text).toMatch(/vp_extraction_queue_messages\{state="visible"\} \d+/);
  });
});

describe("the upload journey over HTTP and WebSocket", () => {
  it("uploads to the signed URL, completes, watches the job live and sees a cancel; other users and bad tokens are refused", async () => {
    const created = await gql<{
      createVideoUpload: {
        video: { id: string };
        upload: {
          url: string;
          method: string;
          headers: Array<{ name: string; value: string }>;
        };
      };
    }>(
      CREATE_UPLOAD,
      {
        input: {
          filename: "journey.mp4",
          contentType: "video/mp4",
          sizeBytes: tiny.length,
        },
      },
      aliceToken,
    );
    const { video, upload } = created.body.data!.createVideoUpload;
    const put = await fetch(upload.url, {
      method: upload.method,
      headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])),
      body: new Uint8Array(tiny),
    });
    expect(put.status).toBeLessThan(300);
    const completed = await gql<{
      completeVideoUpload: {
        job: { id: string; status: string };
        userErrors: unknown[];
      };
    }>(COMPLETE_UPLOAD, { input: { videoId: video.id } }, aliceToken);
    expect(completed.body.data?.completeVideoUpload.userErrors).toEqual([]);
    const jobId = completed.body.data!.completeVideoUpload.job.id;

    const seen: Array<{ status: string }> = [];
    const alice = wsClient(aliceToken);
    const done = new Promise<void>((resolve, reject) => {
      alice.subscribe<{ jobUpdated: { status: string } }>(
        { query: JOB_UPDATED, variables: { id: jobId } },
        {
          next: (msg) => {
            if (msg.errors) return reject(new Error(JSON.stringify(msg.errors)));
            seen.push(msg.data!.jobUpdated);
            if (msg.data!.jobUpdated.status === "QUEUED") {
              // The first item is the current state: the subscription is live, so trigger the change now.
              void gql(CANCEL_JOB, { id: jobId }, aliceToken);
            }
            if (msg.data!.jobUpdated.status === "CANCELLED") resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await done;
    expect(seen.map((s) => s.status)).toEqual(["QUEUED", "CANCELLED"]);

    // Bob may not watch Alice's job: the subscribe step fails, which graphql-ws sends as one result with errors.
    const bob = wsClient(bobToken);
    const refused = await new Promise<unknown>((resolve) => {
      bob.subscribe(
        { query: JOB_UPDATED, variables: { id: jobId } },
        { next: resolve, error: resolve, complete: () => resolve("completed") },
      );
    });
    expect(refused).toEqual({
      errors: [
        expect.objectContaining({
          message: "No job with this id exists.",
          extensions: { code: "NOT_FOUND" },
        }),
      ],
    });

    // Too deep over WebSocket too.
    const deep = await new Promise<unknown>((resolve) => {
      alice.subscribe(
        {
          query: `subscription($id: ID!) { jobUpdated(jobId: $id) { video { latestJob { video { latestJob { video { latestJob { video { id } } } } } } } } }`,
          variables: { id: jobId },
        },
        {
          next: () => resolve("unexpected data"),
          error: resolve,
          complete: () => resolve("completed"),
        },
      );
    });
    expect(deep).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: "QUERY_TOO_DEEP" }),
      }),
    ]);
  });

  it("closes a WebSocket without a valid token with 4403 and a reason", async () => {
    for (const params of [{}, { authorization: "Bearer not.a.token" }]) {
      const socket = new WebSocket(server.url.replace(/^http/, "ws") + "/graphql", "graphql-transport-ws");
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
      );
      socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: params })));
      const { code, reason } = await closed;
      expect(code).toBe(4403);
      expect(reason).toMatch(/^Forbidden: (MISSING_TOKEN|INVALID_TOKEN)$/);
    }
  });
});
