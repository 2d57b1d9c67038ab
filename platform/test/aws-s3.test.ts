import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobStoreContract, bytes, readAll } from "../src/testing/contracts/index.js";
import { S3BlobStore } from "../src/aws/index.js";
import type { AwsClients } from "../src/aws/clients.js";
import { startSigV4Proxy } from "../src/testing/aws/sigv4-proxy.js";
import { randomName, startS3rver, testClients, type RunningServer } from "../src/testing/aws/servers.js";

let server: RunningServer;
let proxy: RunningServer;
let clients: AwsClients;
beforeAll(async () => {
  server = await startS3rver();
  const direct = testClients({ s3: server.endpoint });
  // s3rver does not verify SigV4 signatures; the proxy does, as S3 would (see sigv4-proxy.ts).
  proxy = await startSigV4Proxy(server.endpoint, direct.s3);
  clients = testClients({ s3: proxy.endpoint });
});
afterAll(async () => {
  clients?.destroy();
  await proxy?.close();
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
    expect(new URL(target.url).searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
    const res = await fetch(target.url, {
      method: "PUT",
      headers: { "Content-Type": "text/html" },
      body: new Uint8Array(bytes(10)),
    });
    expect(res.status).toBe(403);
    expect(await store.head("up/typed.mp4")).toBeNull();
  });
});
