import { describe, expect, it } from "vitest";
import { AbortedError, TransferError, type Transfer, type TransferRequest } from "./transfer.js";
import { UploadManager, type UploadApi, type UploadTargetShape } from "./upload-manager.js";

const file = (name: string, bytes: number) => new File([new Uint8Array(bytes)], name, { type: "video/mp4" });

function recordingApi(target: (file: File) => UploadTargetShape) {
  const calls: string[] = [];
  const completed: unknown[] = [];
  const api: UploadApi = {
    async create(f) {
      calls.push(`create ${f.name}`);
      if (f.name.startsWith("bad"))
        return { problems: [{ message: "must be > 0", field: ["input", "extraction", "intervalSeconds"] }] };
      return { videoId: `v-${f.name}`, upload: target(f) };
    },
    async complete(videoId, multipart) {
      calls.push(`complete ${videoId}`);
      completed.push(multipart);
      return [];
    },
    async remove(videoId) {
      calls.push(`remove ${videoId}`);
    },
  };
  return { api, calls, completed };
}

const single = (f: File): UploadTargetShape => ({
  url: `/blobs/${f.name}`,
  method: "PUT",
  headers: [],
  multipart: null,
});
const inParts = (f: File): UploadTargetShape => ({
  url: `/blobs/${f.name}?part=1`,
  method: "PUT",
  headers: [],
  multipart: {
    uploadId: "u1",
    method: "PUT",
    headers: [{ name: "content-type", value: "video/mp4" }],
    parts: [
      { partNumber: 1, url: `/blobs/${f.name}?part=1`, sizeBytes: 600 },
      { partNumber: 2, url: `/blobs/${f.name}?part=2`, sizeBytes: f.size - 600 },
    ],
  },
});

/** Reports the body's bytes as sent and answers an ETag, as storage does. */
const storage = (fail?: (req: TransferRequest, attempt: number) => Error | null): Transfer & { sent: string[] } => {
  const attempts = new Map<string, number>();
  const sent: string[] = [];
  const transfer = async (req: TransferRequest) => {
    const n = (attempts.get(req.url) ?? 0) + 1;
    attempts.set(req.url, n);
    req.onProgress(Math.floor(req.body.size / 2));
    const err = fail?.(req, n);
    if (err) throw err;
    req.onProgress(req.body.size);
    sent.push(`${req.url} ${req.body.size}`);
    return { etag: `"etag-${req.url.slice(-1)}"` };
  };
  return Object.assign(transfer, { sent });
};

describe("UploadManager", () => {
  it("uploads several files at once, each created, sent and completed", async () => {
    const { api, calls } = recordingApi(single);
    const transfer = storage();
    const manager = new UploadManager({ api, transfer });
    await manager.add([file("a.mp4", 100), file("b.mp4", 200)], { mode: "INTERVAL" });
    expect(manager.snapshot().map((i) => [i.name, i.phase, i.sentBytes])).toEqual([
      ["a.mp4", "done", 100],
      ["b.mp4", "done", 200],
    ]);
    expect(calls.filter((c) => c.startsWith("complete")).sort()).toEqual(["complete v-a.mp4", "complete v-b.mp4"]);
    expect(transfer.sent.sort()).toEqual(["/blobs/a.mp4 100", "/blobs/b.mp4 200"]);
  });

  it("sends a multipart target as parts, retries a failed part, and completes with every ETag", async () => {
    const { api, completed } = recordingApi(inParts);
    const transfer = storage((req, attempt) =>
      req.url.endsWith("part=2") && attempt === 1 ? new TransferError(0, "connection lost") : null,
    );
    const manager = new UploadManager({ api, transfer, retryDelayMs: () => 1 });
    await manager.add([file("big.mp4", 1000)], {});
    const [item] = manager.snapshot();
    expect(item).toMatchObject({ phase: "done", multipart: true, sentBytes: 1000 });
    expect(transfer.sent).toEqual(["/blobs/big.mp4?part=1 600", "/blobs/big.mp4?part=2 400"]);
    expect(completed).toEqual([
      {
        uploadId: "u1",
        parts: [
          { partNumber: 1, etag: '"etag-1"' },
          { partNumber: 2, etag: '"etag-2"' },
        ],
      },
    ]);
  });

  it("gives up after the last attempt, says why, and deletes the half-uploaded video", async () => {
    const { api, calls } = recordingApi(single);
    const manager = new UploadManager({
      api,
      transfer: storage(() => new TransferError(503, "the storage answered 503")),
      attempts: 3,
      retryDelayMs: () => 1,
    });
    await manager.add([file("a.mp4", 100)], {});
    expect(manager.snapshot()[0]).toMatchObject({
      phase: "failed",
      problems: [{ message: "Upload failed: the storage answered 503." }],
    });
    expect(calls).toContain("remove v-a.mp4");
  });

  it("does not retry a refusal (4xx), and shows the server's userErrors without sending bytes", async () => {
    const { api } = recordingApi(single);
    let sends = 0;
    const manager = new UploadManager({
      api,
      transfer: async () => {
        sends++;
        throw new TransferError(403, "the signature does not match this URL");
      },
    });
    await manager.add([file("a.mp4", 10), file("bad.mp4", 10)], {});
    expect(sends).toBe(1);
    const [a, bad] = manager.snapshot();
    expect(a?.phase).toBe("failed");
    expect(bad).toMatchObject({ phase: "failed", videoId: null, problems: [{ message: "must be > 0" }] });
  });

  it("cancels one upload: its request is aborted and its video removed, the other finishes", async () => {
    const { api, calls } = recordingApi(single);
    const transfer: Transfer = (req) =>
      req.url.endsWith("slow.mp4")
        ? new Promise((_resolve, reject) => req.signal.addEventListener("abort", () => reject(new AbortedError())))
        : Promise.resolve({ etag: '"x"' });
    const manager = new UploadManager({ api, transfer });
    const done = manager.add([file("slow.mp4", 50), file("fast.mp4", 50)], {});
    await expect.poll(() => manager.snapshot()[0]?.phase).toBe("uploading");
    manager.cancel(manager.snapshot()[0]!.key);
    await done;
    expect(manager.snapshot().map((i) => i.phase)).toEqual(["cancelled", "done"]);
    expect(calls).toContain("remove v-slow.mp4");
  });

  it("measures speed over the last seconds", async () => {
    const { api } = recordingApi(single);
    let t = 0;
    const speeds: number[] = [];
    const transfer: Transfer = async (req) => {
      for (let sent = 0; sent <= 4000; sent += 1000) {
        t += 1000;
        req.onProgress(sent);
      }
      return { etag: null };
    };
    const manager = new UploadManager({ api, transfer, now: () => t });
    manager.subscribe(() => speeds.push(manager.snapshot()[0]?.bytesPerSecond ?? 0));
    await manager.add([file("a.mp4", 4000)], {});
    expect(Math.max(...speeds)).toBe(1000);
  });
});
