import { CreateBucketCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobStoreContract, bytes, readAll } from "../src/testing/contracts/index.js";
import { S3BlobStore } from "../src/aws/index.js";
import type { AwsClients } from "../src/aws/clients.js";
import { forwardTo, startSigV4Proxy } from "../src/testing/aws/sigv4-proxy.js";
import { randomName, startS3rver, testClients, type RunningServer } from "../src/testing/aws/servers.js";

/**
 * s3rver ignores `If-None-Match` on PUT (it honours it only on GET); S3 refuses such a PutObject
 * with 412 PreconditionFailed when the key holds an object (conditional writes, atomically). This
 * shim in front of s3rver does the same (HEAD, then forward: not atomic, which tests do not need),
 * so the contract's "a used target is refused" runs on the S3 adapter too. What it cannot prove,
 * that real S3 refuses, is AWS's documented behaviour; what the tests below do prove is that the
 * adapter signs the header and that a PUT leaving it out fails the signature.
 */
async function startConditionalWriteShim(target: string, s3: () => S3Client): Promise<RunningServer> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    void (async () => {
      if (req.method === "PUT" && req.headers["if-none-match"] === "*" && !url.searchParams.has("uploadId")) {
        const [, bucket, ...key] = decodeURIComponent(url.pathname).split("/");
        const exists = await s3()
          .send(new HeadObjectCommand({ Bucket: bucket!, Key: key.join("/") }))
          .then(
            () => true,
            () => false,
          );
        if (exists) {
          req.resume();
          res.writeHead(412, { "Content-Type": "application/xml", Connection: "close" });
          res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code></Error>');
          return;
        }
      }
      forwardTo(upstream, req, res);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

let server: RunningServer;
let shim: RunningServer;
let proxy: RunningServer;
/** The SigV4 proxy straight onto s3rver, without the shim: shows what s3rver itself does. */
let rawProxy: RunningServer;
let clients: AwsClients;
let rawClients: AwsClients;
beforeAll(async () => {
  server = await startS3rver();
  const direct = testClients({ s3: server.endpoint });
  shim = await startConditionalWriteShim(server.endpoint, direct.s3);
  // s3rver does not verify SigV4 signatures; the proxy does, as S3 would (see sigv4-proxy.ts).
  proxy = await startSigV4Proxy(shim.endpoint, direct.s3);
  rawProxy = await startSigV4Proxy(server.endpoint, direct.s3);
  clients = testClients({ s3: proxy.endpoint });
  rawClients = testClients({ s3: rawProxy.endpoint });
});
afterAll(async () => {
  clients?.destroy();
  rawClients?.destroy();
  await proxy?.close();
  await rawProxy?.close();
  await shim?.close();
  await server?.close();
});

async function freshBucket(): Promise<string> {
  const bucket = randomName("vp-test");
  await clients.s3().send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

// S3 checks expiry with its own clock: this fixture has no advanceTime, so the two expiry tests wait ~2 s.
const MULTIPART = { thresholdBytes: 6 * 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 };
blobStoreContract("S3 (s3rver)", async () => ({
  store: new S3BlobStore({
    s3: clients.s3,
    bucket: await freshBucket(),
    multipartThresholdBytes: MULTIPART.thresholdBytes,
    uploadPartSizeBytes: MULTIPART.partSizeBytes,
  }),
  multipart: MULTIPART,
  async cleanup() {},
}));

describe("S3BlobStore specifics", () => {
  it("streams a blob larger than one part through multipart upload, byte for byte", async () => {
    const store = new S3BlobStore({
      s3: clients.s3,
      bucket: await freshBucket(),
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
    });
    const data = bytes(11 * 1024 * 1024 + 17, 3);
    const chunks = Array.from({ length: Math.ceil(data.length / 65536) }, (_, i) =>
      data.subarray(i * 65536, (i + 1) * 65536),
    );
    expect(await store.put("big/archive.zip", Readable.from(chunks), { contentType: "application/zip" })).toEqual({
      sizeBytes: data.length,
      contentType: "application/zip",
    });
    expect((await readAll(await store.get("big/archive.zip"))).equals(data)).toBe(true);
  });

  it("stores an empty stream as an empty blob, and checks a stream's declared size", async () => {
    const store = new S3BlobStore({ s3: clients.s3, bucket: await freshBucket() });
    expect(await store.put("empty.bin", Readable.from([]), { expectedBytes: 0 })).toEqual({
      sizeBytes: 0,
      contentType: null,
    });
    expect(await store.head("empty.bin")).toEqual({ sizeBytes: 0, contentType: null });
    await expect(store.put("short.bin", Readable.from([bytes(10)]), { expectedBytes: 11 })).rejects.toMatchObject({
      code: "SIZE_MISMATCH",
    });
    expect(await store.head("short.bin")).toBeNull();
  });

  it("aborts a multipart upload that breaks maxBytes after parts were sent, storing nothing", async () => {
    const store = new S3BlobStore({
      s3: clients.s3,
      bucket: await freshBucket(),
      partSize: 5 * 1024 * 1024,
      queueSize: 1,
    });
    const chunk = bytes(1024 * 1024, 4);
    const body = Readable.from(Array.from({ length: 12 }, () => chunk));
    await expect(store.put("big/too-big.zip", body, { maxBytes: 11 * 1024 * 1024 })).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
    });
    expect(await store.head("big/too-big.zip")).toBeNull();
  });

  it("signs Content-Type into the upload URL: another type is refused", async () => {
    const store = new S3BlobStore({ s3: clients.s3, bucket: await freshBucket() });
    const target = await store.createUploadTarget("up/typed.mp4", {
      contentType: "video/mp4",
      sizeBytes: 10,
      expiresInSeconds: 60,
    });
    expect(target.method).toBe("PUT");
    expect(new URL(target.url).searchParams.get("X-Amz-SignedHeaders")).toBe(
      "content-length;content-type;host;if-none-match",
    );
    const res = await fetch(target.url, {
      method: "PUT",
      headers: { "Content-Type": "text/html" },
      body: new Uint8Array(bytes(10)),
    });
    expect(res.status).toBe(403);
    expect(await store.head("up/typed.mp4")).toBeNull();
  });

  it("signs If-None-Match: * into the upload URL and lists it: a PUT without it fails the signature", async () => {
    const store = new S3BlobStore({ s3: clients.s3, bucket: await freshBucket() });
    const target = await store.createUploadTarget("up/once.mp4", {
      contentType: "video/mp4",
      sizeBytes: 10,
      expiresInSeconds: 60,
    });
    expect(target.headers).toContainEqual({ name: "If-None-Match", value: "*" });
    expect(new URL(target.url).searchParams.get("X-Amz-SignedHeaders")?.split(";")).toContain("if-none-match");
    // Leaving the condition out (to overwrite later) is refused, as S3 would: the header is signed.
    const without = await fetch(target.url, {
      method: "PUT",
      headers: { "Content-Type": "video/mp4" },
      body: new Uint8Array(bytes(10)),
    });
    expect(without.status).toBe(403);
    // So is sending it with another value (an ETag that would match a later object).
    const other = await fetch(target.url, {
      method: "PUT",
      headers: { "Content-Type": "video/mp4", "If-None-Match": '"abc"' },
      body: new Uint8Array(bytes(10)),
    });
    expect(other.status).toBe(403);
    expect(await store.head("up/once.mp4")).toBeNull();
    const ok = await fetch(target.url, {
      method: "PUT",
      headers: Object.fromEntries(target.headers.map((h) => [h.name, h.value])),
      body: new Uint8Array(bytes(10)),
    });
    expect(ok.status).toBe(200);
  });

  it("s3rver itself ignores If-None-Match on PUT (why the shim above emulates S3's 412)", async () => {
    // If this starts failing, s3rver honours conditional writes: drop the shim.
    const bucket = randomName("vp-test");
    await rawClients.s3().send(new CreateBucketCommand({ Bucket: bucket }));
    const store = new S3BlobStore({ s3: rawClients.s3, bucket });
    const target = await store.createUploadTarget("up/raw.mp4", {
      contentType: "video/mp4",
      sizeBytes: 10,
      expiresInSeconds: 60,
    });
    const put = (seed: number) =>
      fetch(target.url, {
        method: "PUT",
        headers: Object.fromEntries(target.headers.map((h) => [h.name, h.value])),
        body: new Uint8Array(bytes(10, seed)),
      });
    expect((await put(1)).status).toBe(200);
    expect((await put(2)).status).toBe(200);
    expect((await readAll(await store.get("up/raw.mp4"))).equals(bytes(10, 2))).toBe(true);
  });
});
