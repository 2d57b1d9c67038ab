import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobStoreContract, bytes, readAll, until } from "../src/testing/contracts/index.js";
import { createBlobHttpHandler, LocalDiskBlobStore } from "../src/local/index.js";

/** A real HTTP server on port 0 in front of fresh stores, as the API mounts them. */
const MULTIPART = { thresholdBytes: 200_000, partSizeBytes: 90_000 };

async function startStores(buckets: string[]) {
  const root = await mkdtemp(join(tmpdir(), "vp-blobs-"));
  let now = Date.now();
  let base = "";
  const secret = randomBytes(32);
  const stores = buckets.map(
    (bucket) =>
      new LocalDiskBlobStore({
        root: join(root, bucket),
        bucket,
        secret,
        baseUrl: () => base,
        clock: () => now,
        multipartThresholdBytes: MULTIPART.thresholdBytes,
        partSizeBytes: MULTIPART.partSizeBytes,
      }),
  );
  const handler = createBlobHttpHandler(stores);
  const server: Server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404).end("not mine");
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    root,
    stores,
    base,
    advanceTime: (s: number) => {
      now += s * 1000;
    },
    cleanup: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await rm(root, { recursive: true, force: true });
    },
  };
}

blobStoreContract("LocalDiskBlobStore over HTTP", async () => {
  const s = await startStores(["videos"]);
  return {
    store: s.stores[0]!,
    advanceTime: s.advanceTime,
    multipart: MULTIPART,
    cleanup: s.cleanup,
  };
});

describe("LocalDiskBlobStore specifics", () => {
  let s: Awaited<ReturnType<typeof startStores>>;
  beforeAll(async () => {
    s = await startStores(["videos", "archives"]);
  });
  afterAll(async () => {
    await s.cleanup();
  });
  const tmpEntries = async (bucketRoot: string) => readdir(join(bucketRoot, ".tmp")).catch(() => []);

  it("leaves nothing behind when the uploading client disconnects mid-body", async () => {
    const store = s.stores[0]!;
    const target = await store.createUploadTarget("cut/video.mp4", {
      contentType: "video/mp4",
      sizeBytes: 100_000,
      expiresInSeconds: 60,
    });
    const url = new URL(target.url);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((r) => socket.once("connect", () => r()));
    socket.write(
      `PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: video/mp4\r\nContent-Length: 100000\r\n\r\n`,
    );
    socket.write(bytes(30_000));
    await until(async () => (await tmpEntries(join(s.root, "videos"))).length > 0, "the upload to start writing");
    socket.destroy();
    await until(async () => (await tmpEntries(join(s.root, "videos"))).length === 0, "the temp file to be removed");
    expect(await store.head("cut/video.mp4")).toBeNull();
  });

  it("answers PUT with an ETag and routes by bucket", async () => {
    const data = bytes(777);
    const target = await s.stores[1]!.createUploadTarget("a/b.zip", {
      contentType: "application/zip",
      sizeBytes: 777,
      expiresInSeconds: 60,
    });
    expect(target.url.startsWith(`${s.base}/blobs/archives/a/b.zip?`)).toBe(true);
    const res = await fetch(target.url, {
      method: "PUT",
      headers: { "Content-Type": "application/zip" },
      body: new Uint8Array(data),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await s.stores[0]!.head("a/b.zip")).toBeNull();
    expect((await s.stores[1]!.head("a/b.zip"))?.sizeBytes).toBe(777);
  });

  it("refuses a Content-Length over the signed size with 413 and a different one with 400, as JSON errors", async () => {
    const store = s.stores[0]!;
    const target = await store.createUploadTarget("codes.mp4", {
      contentType: "video/mp4",
      sizeBytes: 10,
      expiresInSeconds: 60,
    });
    const big = await fetch(target.url, {
      method: "PUT",
      headers: { "Content-Type": "video/mp4" },
      body: new Uint8Array(bytes(11)),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({
      error: { code: "PAYLOAD_TOO_LARGE" },
    });
    const small = await fetch(target.url, {
      method: "PUT",
      headers: { "Content-Type": "video/mp4" },
      body: new Uint8Array(bytes(9)),
    });
    expect(small.status).toBe(400);
    expect(await small.json()).toMatchObject({
      error: { code: "SIZE_MISMATCH" },
    });
    const wrongType = await fetch(target.url, {
      method: "PUT",
      headers: { "Content-Type": "text/html" },
      body: new Uint8Array(bytes(10)),
    });
    expect(wrongType.status).toBe(403);
    s.advanceTime(120);
    const late = await fetch(target.url, {
      method: "PUT",
      headers: { "Content-Type": "video/mp4" },
      body: new Uint8Array(bytes(10)),
    });
    expect(await late.json()).toMatchObject({ error: { code: "URL_EXPIRED" } });
    const forged = await fetch(target.url.replace(/sig=[^&]+/, "sig=AAAA"), {
      method: "PUT",
      body: new Uint8Array(bytes(10)),
    });
    expect(await forged.json()).toMatchObject({
      error: { code: "INVALID_SIGNATURE" },
    });
    expect(await store.head("codes.mp4")).toBeNull();
  });

  it("refuses a chunked body (no Content-Length) that runs past the signed size", async () => {
    const store = s.stores[0]!;
    const target = await store.createUploadTarget("chunked.mp4", {
      contentType: "video/mp4",
      sizeBytes: 100,
      expiresInSeconds: 600,
    });
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes(80));
        c.enqueue(bytes(80));
        c.close();
      },
    });
    const res = await fetch(target.url, {
      method: "PUT",
      headers: { "Content-Type": "video/mp4" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await store.head("chunked.mp4")).toBeNull();
  });

  it("serves HEAD and byte ranges on download URLs", async () => {
    const store = s.stores[1]!;
    const data = bytes(1000, 3);
    await store.put("r.zip", data, { contentType: "application/zip" });
    const { url } = await store.createDownloadUrl("r.zip", {
      filename: "r.zip",
      expiresInSeconds: 600,
    });
    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("1000");
    expect(head.headers.get("content-type")).toBe("application/zip");
    const part = await fetch(url, { headers: { Range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 10-19/1000");
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(10, 20))).toBe(true);
    expect((await fetch(url, { headers: { Range: "bytes=5000-" } })).status).toBe(416);
  });

  it("leaves other paths to the next handler and answers unknown buckets with 404", async () => {
    expect(await (await fetch(`${s.base}/graphql`)).text()).toBe("not mine");
    const res = await fetch(`${s.base}/blobs/nope/x?expires=1&sig=a`);
    expect(res.status).toBe(404);
  });

  it("keeps the content type in a sidecar and streams a blob that is replaced mid-read", async () => {
    const store = s.stores[0]!;
    await store.put("pinned.bin", bytes(300_000, 1), {
      contentType: "video/webm",
    });
    const reading = await store.get("pinned.bin");
    await store.put("pinned.bin", bytes(10, 2));
    expect((await readAll(reading)).equals(bytes(300_000, 1))).toBe(true);
    expect(await store.head("pinned.bin")).toEqual({
      sizeBytes: 10,
      contentType: null,
    });
  });
});
