import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobStoreContract, bytes, readAll, until } from "../src/testing/contracts/index.js";
import { createBlobHttpHandler, LocalDiskBlobStore } from "../src/local/index.js";
import type { BlobHttpHandlerOptions } from "../src/local/blob-http-handler.js";

/** A real HTTP server on port 0 in front of fresh stores, as the API mounts them. */
const MULTIPART = { thresholdBytes: 200_000, partSizeBytes: 90_000 };
/** The temp files of a bucket (not the multipart uploads' folder). */
const tempFiles = async (bucketRoot: string) =>
  (await readdir(join(bucketRoot, ".tmp")).catch(() => [])).filter((f) => f !== "uploads");

async function startStores(buckets: string[], handlerOptions: BlobHttpHandlerOptions = {}) {
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
  const handler = createBlobHttpHandler(stores, handlerOptions);
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

  it("answers a second PUT to a used target with 409 and a clear body, and a part PUT after completion with 404", async () => {
    const store = s.stores[0]!;
    const target = await store.createUploadTarget("once/video.mp4", {
      contentType: "video/mp4",
      sizeBytes: 100,
      expiresInSeconds: 60,
    });
    const put = (seed: number) =>
      fetch(target.url, {
        method: "PUT",
        headers: { "Content-Type": "video/mp4" },
        body: new Uint8Array(bytes(100, seed)),
      });
    expect((await put(1)).status).toBe(200);
    const again = await put(2);
    expect(again.status).toBe(409);
    const body = (await again.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("CONFLICT");
    expect(body.error.message).toMatch(/already used.*nothing was changed/);
    expect((await readAll(await store.get("once/video.mp4"))).equals(bytes(100, 1))).toBe(true);
    expect(await tempFiles(join(s.root, "videos"))).toEqual([]);

    const mp = await store.createUploadTarget("once/big.mp4", {
      contentType: "video/mp4",
      sizeBytes: MULTIPART.thresholdBytes + 1,
      expiresInSeconds: 60,
    });
    const parts = [];
    for (const p of mp.multipart!.parts) {
      const res = await fetch(p.url, {
        method: "PUT",
        headers: { "Content-Type": "video/mp4" },
        body: new Uint8Array(bytes(p.sizeBytes, 3)),
      });
      parts.push({ partNumber: p.partNumber, etag: res.headers.get("etag")! });
    }
    await store.completeUpload("once/big.mp4", { uploadId: mp.multipart!.uploadId, parts });
    const late = await fetch(mp.multipart!.parts[0]!.url, {
      method: "PUT",
      headers: { "Content-Type": "video/mp4" },
      body: new Uint8Array(bytes(mp.multipart!.parts[0]!.sizeBytes, 4)),
    });
    expect(late.status).toBe(404);
    expect(await late.json()).toMatchObject({ error: { code: "UPLOAD_MISSING" } });
  });

  it("refuses an overwrite at the store too (ifAbsent), even when the blob appeared during the body", async () => {
    const store = s.stores[0]!;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let step = 0;
    const body = new Readable({
      read() {
        if (step++ === 0) this.push(bytes(50, 1));
        else void gate.then(() => (this.push(bytes(50, 1)), this.push(null)));
      },
    });
    const putting = store.put("race/v.mp4", body, { expectedBytes: 100, ifAbsent: true });
    await new Promise((r) => setTimeout(r, 20));
    await store.put("race/v.mp4", bytes(100, 9));
    release();
    await expect(putting).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await readAll(await store.get("race/v.mp4"))).equals(bytes(100, 9))).toBe(true);
    expect(await tempFiles(join(s.root, "videos"))).toEqual([]);
  });
});

describe("slow uploads", () => {
  // Small settings so the test ends in seconds: at least 1000 bytes/s averaged over 2 s.
  let s: Awaited<ReturnType<typeof startStores>>;
  beforeAll(async () => {
    s = await startStores(["videos"], { minBytesPerSecond: 1000, rateWindowSeconds: 2 });
  });
  afterAll(async () => {
    await s.cleanup();
  });

  /** A raw HTTP PUT sending `chunk` bytes every `everyMs` until `size`; resolves with what the server answered and when. */
  async function trickle(url: string, size: number, chunk: number, everyMs: number) {
    const u = new URL(url);
    const socket = connect(Number(u.port), u.hostname);
    await new Promise<void>((r) => socket.once("connect", () => r()));
    const started = Date.now();
    socket.write(
      `PUT ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: video/mp4\r\nContent-Length: ${size}\r\n\r\n`,
    );
    let sent = 0;
    let answer = "";
    socket.on("data", (d: Buffer) => (answer += d.toString("latin1")));
    const closed = new Promise<number>((r) => socket.once("close", () => r(Date.now() - started)));
    socket.on("error", () => undefined);
    const timer = setInterval(() => {
      if (socket.destroyed || sent >= size) return clearInterval(timer);
      const n = Math.min(chunk, size - sent);
      socket.write(bytes(n).subarray(0, n));
      sent += n;
    }, everyMs);
    const answered = await new Promise<number>((r) => {
      const check = setInterval(() => {
        if (/\r\n\r\n/.test(answer) || socket.destroyed) {
          clearInterval(check);
          r(Date.now() - started);
        }
      }, 20);
    });
    if (sent >= size) socket.end();
    const closedAfter = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
    clearInterval(timer);
    socket.destroy();
    return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]), answer, answered, closedAfter, sent };
  }

  it("cuts off a body trickling in under the floor with 408, stores nothing, and closes the socket", async () => {
    const store = s.stores[0]!;
    const target = await store.createUploadTarget("slow/v.mp4", {
      contentType: "video/mp4",
      sizeBytes: 100_000,
      expiresInSeconds: 60,
    });
    // One byte every 200 ms: 5 bytes/s.
    const r = await trickle(target.url, 100_000, 1, 200);
    expect(r.status, r.answer).toBe(408);
    expect(r.answer).toContain("REQUEST_TIMEOUT");
    expect(r.answered).toBeGreaterThanOrEqual(1900);
    expect(r.answered).toBeLessThan(4500);
    expect(r.closedAfter).toBeGreaterThan(0); // the server closed the connection
    expect(await store.head("slow/v.mp4")).toBeNull();
    expect(await tempFiles(join(s.root, "videos"))).toEqual([]);
  });

  it("cuts off a part of a multipart upload the same way", async () => {
    const store = s.stores[0]!;
    const target = await store.createUploadTarget("slow/big.mp4", {
      contentType: "video/mp4",
      sizeBytes: MULTIPART.thresholdBytes + 1,
      expiresInSeconds: 60,
    });
    const part = target.multipart!.parts[0]!;
    const r = await trickle(part.url, part.sizeBytes, 100, 200);
    expect(r.status, r.answer).toBe(408);
    const uploadDir = join(s.root, "videos", ".tmp", "uploads", target.multipart!.uploadId);
    expect(await readdir(uploadDir)).toEqual(["manifest.json"]);
  });

  it("lets an upload at the floor or above through, slow as it is", async () => {
    const store = s.stores[0]!;
    const target = await store.createUploadTarget("slow/ok.mp4", {
      contentType: "video/mp4",
      sizeBytes: 9000,
      expiresInSeconds: 60,
    });
    // 300 bytes every 100 ms: 3000 bytes/s for 3 s, across a whole window and more.
    const r = await trickle(target.url, 9000, 300, 100);
    expect(r.status, r.answer).toBe(200);
    expect(r.answered).toBeGreaterThan(2500);
    expect((await store.head("slow/ok.mp4"))?.sizeBytes).toBe(9000);
  });
});

describe("temp sweep", () => {
  const HOUR = 3600_000;
  const options = { tempMaxAgeMs: HOUR, uploadMaxAgeMs: 24 * HOUR };
  const age = async (path: string, ms: number) => {
    const t = new Date(Date.now() - ms);
    await utimes(path, t, t);
  };
  const exists = (path: string) =>
    stat(path).then(
      () => true,
      () => false,
    );

  it("removes dead writes' temp files and abandoned multipart uploads, never live or recent ones", async () => {
    const s = await startStores(["archives"]);
    try {
      const store = s.stores[0]!;
      const tmp = join(s.root, "archives", ".tmp");
      await mkdir(join(tmp, "uploads"), { recursive: true });
      // A partial archive of a crashed job, two hours old, and one written a minute ago.
      const dead = join(tmp, "a".repeat(24));
      const recent = join(tmp, "b".repeat(24));
      await writeFile(dead, "partial zip");
      await writeFile(recent, "partial zip");
      await age(dead, 2 * HOUR);
      await age(recent, 60_000);
      // A live put of this process whose temp file looks old (a quiet moment, a clock jump): kept.
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let step = 0;
      const body = new Readable({
        read() {
          if (step++ === 0) this.push(bytes(10));
          else void gate.then(() => (this.push(bytes(10)), this.push(null)));
        },
      });
      const putting = store.put("jobs/live.zip", body);
      await until(async () => (await readdir(tmp)).length === 4, "the live put to open its temp file");
      const live = join(
        tmp,
        (await readdir(tmp)).find((f) => f !== "uploads" && f !== dead.slice(-24) && f !== recent.slice(-24))!,
      );
      await age(live, 3 * HOUR);
      // Multipart uploads: abandoned two days ago; two days old but a part arrived a minute ago; started an hour ago.
      const upload = async (id: string, startedAgo: number, touchedAgo = startedAgo) => {
        const dir = join(tmp, "uploads", id.repeat(32));
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, "manifest.json"), "{}");
        await writeFile(join(dir, "1"), "part");
        await age(join(dir, "manifest.json"), startedAgo);
        await age(join(dir, "1"), touchedAgo);
        return dir;
      };
      const abandoned = await upload("1", 48 * HOUR);
      const active = await upload("2", 48 * HOUR, 60_000);
      const young = await upload("3", HOUR);
      // Not ours: names no temp file of the store has.
      const foreign = join(tmp, "keep-me.txt");
      await writeFile(foreign, "x");
      await age(foreign, 48 * HOUR);

      expect(await store.sweep(options)).toEqual({ tempFiles: 1, uploads: 1 });
      expect(await exists(dead)).toBe(false);
      expect(await exists(abandoned)).toBe(false);
      for (const kept of [recent, live, active, young, foreign]) expect(await exists(kept), kept).toBe(true);
      release();
      await putting;
      expect((await store.head("jobs/live.zip"))?.sizeBytes).toBe(20);
      expect(await store.sweep(options)).toEqual({ tempFiles: 0, uploads: 0 });
    } finally {
      await s.cleanup();
    }
  });
});
