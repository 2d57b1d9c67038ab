import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { loadApiConfig as loadConfig } from "../src/config.js";
import { createLocalPlatform, type LocalPlatform } from "@vp/platform";
import { validatePlan } from "@vp/engine";
import { pino } from "pino";
import { Registry } from "prom-client";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer, type ApiServer } from "../src/http/server.js";
import { rawId } from "./helpers/flows.js";

let dir: string;
let platform: LocalPlatform;
let server: ApiServer;
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vp-api-shutdown-"));
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    VP_DATA_DIR: join(dir, "data"),
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
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n"))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  server = await startApiServer({
    platform,
    config,
    logger: pino({ level: "info" }, sink),
    metrics: new Registry(),
    engine: {
      validatePlan,
      classifyHead: () => {
        throw new Error("sniffing is broken");
      },
    },
    accountsHandler: async (_req, res) => void res.writeHead(404).end(),
    blobHandler: async () => false,
    jwks: () => platform.jwks(),
    onListening: (url) => {
      publicUrl = url;
    },
  });
});

afterAll(async () => {
  await server.close();
  await platform.close();
  await rm(dir, { recursive: true, force: true });
});

describe("logs and shutdown", () => {
  it("logs each request as JSON with its request id, without query strings", async () => {
    await fetch(`${server.url}/graphql?secret=abc`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-request-id": "trace-1",
      },
      body: "{}",
    });
    const line = lines.find((l) => l["requestId"] === "trace-1" && l["msg"] === "request");
    expect(line).toMatchObject({
      method: "POST",
      path: "/graphql",
      status: 400,
    });
    expect(JSON.stringify(lines)).not.toContain("secret=abc");
  });

  it("logs an unexpected failure with the request id while the client sees only 'Internal server error'", async () => {
    await platform.identity.signUp({
      email: "log@example.com",
      password: "correct horse battery staple 42",
    });
    const { accessToken } = await platform.identity.signIn({
      email: "log@example.com",
      password: "correct horse battery staple 42",
    });
    const post = (query: string, variables: Record<string, unknown>, requestId: string) =>
      fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${accessToken}`,
          "x-request-id": requestId,
        },
        body: JSON.stringify({ query, variables }),
      }).then(
        (r) =>
          r.json() as Promise<{
            data?: { createVideoUpload?: { video: { id: string } } };
            errors?: Array<{ message: string }>;
          }>,
      );
    const created = await post(
      `mutation { createVideoUpload(input: { filename: "a.mp4", contentType: "video/mp4", sizeBytes: 3 }) { video { id } } }`,
      {},
      "trace-create",
    );
    const videoId = created.data!.createVideoUpload!.video.id;
    const video = await platform.videos.findById(rawId(videoId));
    await platform.blobs.videos.put(video!.blobKey, Buffer.from("abc"));
    const res = await post(
      `mutation($id: ID!) { completeVideoUpload(input: { videoId: $id }) { video { id } } }`,
      { id: videoId },
      "trace-boom",
    );
    expect(res.errors?.[0]?.message).toBe("Internal server error");
    const logged = lines.find((l) => l["requestId"] === "trace-boom" && l["level"] === 50);
    expect(logged?.["msg"]).toBe("unexpected error in a GraphQL operation");
    expect(JSON.stringify(logged)).toContain("sniffing is broken");
  });

  it("close() closes WebSocket clients, stops accepting connections and is idempotent", async () => {
    const socket = new WebSocket(server.url.replace(/^http/, "ws") + "/graphql", "graphql-transport-ws");
    await new Promise((resolve) => socket.on("open", resolve));
    const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
    await Promise.all([server.close(), server.close()]);
    expect(await closed).toBe(1001);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
