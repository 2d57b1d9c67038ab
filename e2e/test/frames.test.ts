import { createHmac } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeleteVideoDocument, GraphQLRequestError, type Frame } from "@vp/client";
import { ApiClient, waitForTerminal } from "./support/api-client.js";
import { checkFramesAgainstArchive } from "./support/frames.js";
import { removeDir, startTestProduct, type TestProduct } from "./support/product.js";
import { makeTestVideo } from "./support/videos.js";
import { readZip } from "./support/zip.js";

/** A token as the API signs them (frame-token.ts), for claims the API would never sign itself. */
function forge(secret: Buffer, claims: [string, string, number, number]): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const sig = createHmac("sha256", secret).update(`vp-frame-url/1\n${payload}`).digest("base64url");
  return `${payload}.${sig}`;
}

const claimsOf = (url: string): [string, string, number, number] => {
  const token = new URL(url).pathname.split("/").at(-1)!;
  return JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString("utf8")) as [
    string,
    string,
    number,
    number,
  ];
};

describe("frames without the ZIP: ExtractionResult.frames and GET /frames/<token>", () => {
  let product: TestProduct;
  let dir: string;
  let ada: ApiClient;
  let bob: ApiClient;
  let jobId: string;
  let videoId: string;
  let entries: Array<{ name: string; data: Buffer; compressionMethod: number }>;
  let frames: Frame[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-frames-"));
    const video = await makeTestVideo(join(dir, "clip.mp4"), { seconds: 5, size: "320x240" });
    product = await startTestProduct();
    ada = new ApiClient(product.url!);
    bob = new ApiClient(product.url!);
    await ada.signUpAndLogIn("ada@example.com");
    await bob.signUpAndLogIn("bob@example.com");
    const completed = await ada.upload(video, { mode: "INTERVAL", intervalSeconds: 1, width: 160 });
    expect(completed.userErrors).toEqual([]);
    jobId = completed.job.id;
    videoId = completed.video.id;
    const done = await waitForTerminal(ada, jobId);
    expect(done.status).toBe("SUCCEEDED");
    const zip = await fetch(done.result.downloadUrl);
    entries = await readZip(Buffer.from(await zip.arrayBuffer()));
    expect(entries.every((e) => e.compressionMethod === 0)).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await ada?.close();
    await bob?.close();
    await product?.close();
    await removeDir(product.dataDir);
    await removeDir(dir);
  });

  it("lists every frame page by page, and each URL serves exactly its entry's bytes", async () => {
    const started = performance.now();
    frames = await checkFramesAgainstArchive(ada, jobId, entries, { pageSize: 2, contentType: "image/jpeg" });
    const listAndFetchMs = performance.now() - started;
    const again = performance.now();
    for (const f of frames) await (await fetch(f.url)).arrayBuffer();
    console.info(
      `frames (local disk): 3 pages + 5 frame GETs ${listAndFetchMs.toFixed(0)} ms cold; ` +
        `5 frame GETs warm ${(performance.now() - again).toFixed(1)} ms`,
    );
    expect(frames).toHaveLength(5);
    expect(frames.every((f) => f.width === 160 && f.height === 120)).toBe(true);
    expect(frames.every((f) => new Date(f.urlExpiresAt).getTime() > Date.now() + 14 * 60_000)).toBe(true);

    const first = await ada.sdk.frames(jobId, { first: 2 });
    expect(first.frames.map((f) => f.index)).toEqual([1, 2]);
    expect(first.hasNextPage).toBe(true);
    const last = await ada.sdk.frames(jobId, { first: 100, after: first.endCursor });
    expect(last.frames.map((f) => f.index)).toEqual([3, 4, 5]);
    expect(last.hasNextPage).toBe(false);
  });

  it("answers HEAD, byte ranges and If-None-Match like a file", async () => {
    const frame = frames[1]!;
    const bytes = entries.find((e) => e.name === "frame_000002.jpg")!.data;
    const head = await fetch(frame.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(bytes.length));
    expect(head.headers.get("accept-ranges")).toBe("bytes");
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    const part = await fetch(frame.url, { headers: { range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 10-19/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(10, 20))).toBe(true);
    const tail = await fetch(frame.url, { headers: { range: "bytes=-7" } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 7))).toBe(true);
    const outside = await fetch(frame.url, { headers: { range: `bytes=${bytes.length}-` } });
    expect(outside.status).toBe(416);
    expect(outside.headers.get("content-range")).toBe(`bytes */${bytes.length}`);

    const etag = head.headers.get("etag")!;
    const cached = await fetch(frame.url, { headers: { "if-none-match": etag } });
    expect(cached.status).toBe(304);
  });

  it("refuses a tampered or expired link with 403 JSON, and another owner's job as gone", async () => {
    const url = frames[0]!.url;
    const flipped = url.slice(0, -1) + (url.endsWith("A") ? "B" : "A");
    const tampered = await fetch(flipped);
    expect(tampered.status).toBe(403);
    const body = (await tampered.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("INVALID_SIGNATURE");
    expect(JSON.stringify(body)).not.toMatch(/\bat \S+:\d+/);
    expect((await fetch(`${product.url}/frames/not-a-token`)).status).toBe(403);

    const secret = await readFile(join(product.dataDir, "keys", "frame-url-signing.key"));
    const [owner, job, index] = claimsOf(url);
    const expired = await fetch(
      `${product.url}/frames/${forge(secret, [owner, job, index, Math.floor(Date.now() / 1000) - 1])}`,
    );
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe("URL_EXPIRED");

    // Bob cannot list Ada's frames, and a validly signed link naming Ada's job for Bob finds nothing.
    await expect(bob.sdk.frames(jobId)).rejects.toBeInstanceOf(GraphQLRequestError);
    const bobsFrames = await bob.sdk.frames(jobId).catch((e: GraphQLRequestError) => e.code);
    expect(bobsFrames).toBe("NOT_FOUND");
    const bobsOwner = claimsOf((await bobFirstFrameUrl()) ?? url)[0];
    expect(bobsOwner).not.toBe(owner);
    const crossed = await fetch(
      `${product.url}/frames/${forge(secret, [bobsOwner, job, index, Math.floor(Date.now() / 1000) + 60])}`,
    );
    expect(crossed.status).toBe(404);
    const beyond = await fetch(
      `${product.url}/frames/${forge(secret, [owner, job, 99, Math.floor(Date.now() / 1000) + 60])}`,
    );
    expect(beyond.status).toBe(404);
  }, 60_000);

  it("bounds `first` and refuses a foreign cursor", async () => {
    await expect(ada.sdk.frames(jobId, { first: 101 })).rejects.toThrow(/first/);
    await expect(ada.sdk.frames(jobId, { first: 1, after: "bm9wZQ" })).rejects.toThrow(/cursor/);
  });

  it("stops serving a deleted video's frames", async () => {
    const url = frames[0]!.url;
    expect((await fetch(url)).status).toBe(200);
    const deleted = await ada.data(DeleteVideoDocument, { input: { videoId } });
    expect(deleted.deleteVideo.userErrors).toEqual([]);
    const gone = await fetch(url);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });

  /** Bob's own job gives his owner id as the API signs it. */
  async function bobFirstFrameUrl(): Promise<string | null> {
    const video = await makeTestVideo(join(dir, "bob.mp4"), { seconds: 1, size: "160x120" });
    const completed = await bob.upload(video, { mode: "COUNT", count: 1, format: "PNG" });
    const done = await waitForTerminal(bob, completed.job.id);
    const page = await bob.sdk.frames(done.id);
    expect(page.frames[0]?.contentType).toBe("image/png");
    const res = await fetch(page.frames[0]!.url);
    expect(res.headers.get("content-type")).toBe("image/png");
    return page.frames[0]?.url ?? null;
  }
});
