import { chmod, lstat, mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalPlatform, type LocalPlatform } from "../src/local/local-platform.js";
import { bytes, until } from "../src/testing/contracts/index.js";

/** Every file and folder under `dir`, with its permission bits. */
async function walk(dir: string, root = dir): Promise<Array<{ path: string; dir: boolean; mode: number }>> {
  const out: Array<{ path: string; dir: boolean; mode: number }> = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const s = await lstat(path);
    out.push({ path: relative(root, path), dir: s.isDirectory(), mode: s.mode & 0o777 });
    if (s.isDirectory()) out.push(...(await walk(path, root)));
  }
  return out;
}

describe("local storage hygiene: a fresh data dir after real uploads, an archive, sign-up, sign-in and mail", () => {
  let root: string;
  let dataDir: string;
  let platform: LocalPlatform;
  let server: Server;
  let base = "";
  const swept: unknown[] = [];
  let umask: number;

  beforeAll(async () => {
    // The loosest umask there is: every mode below must come from the code, not from the umask.
    umask = process.umask(0);
    root = await mkdtemp(join(tmpdir(), "vp-hygiene-"));
    dataDir = join(root, "data");
    // A data dir left world-readable (an older version, a hand-made folder) is tightened.
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);
    // A crash left a partial archive two hours ago: swept at start.
    await mkdir(join(dataDir, "blobs", "archives", ".tmp"), { recursive: true, mode: 0o700 });
    const stale = join(dataDir, "blobs", "archives", ".tmp", "c".repeat(24));
    await writeFile(stale, "PK\u0003\u0004 half a zip", { mode: 0o600 });
    const old = new Date(Date.now() - 2 * 3600_000);
    await utimes(stale, old, old);

    platform = await createLocalPlatform({
      dataDir,
      publicUrl: () => base,
      issuer: "urn:video-processor:test",
      accessTokenTtlSeconds: 600,
      requireEmailConfirmation: false,
      mailFrom: "video-processor <no-reply@vp.test>",
      jobMaxAttempts: 3,
      multipartThresholdBytes: 200_000,
      tempMaxAgeSeconds: 3600,
      onSweep: (r) => swept.push(r),
    });
    server = createServer((req, res) => {
      if (req.url === "/.well-known/jwks.json") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(platform.jwks()));
        return;
      }
      void platform.blobHttpHandler(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    process.umask(umask);
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
    await platform?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("sweeps the crashed job's partial archive at start", async () => {
    await until(() => swept.length > 0, "the start-up sweep");
    expect(swept).toEqual([{ bucket: "archives", tempFiles: 1, uploads: 0 }]);
    expect(await readdir(join(dataDir, "blobs", "archives", ".tmp"))).toEqual([]);
  });

  it("keeps the data dir 0700 and every file under it 0600", async () => {
    // Accounts: a password hash and a refresh-token hash in the database.
    await platform.identity.signUp({ email: "perm@example.com", password: "correct horse battery staple 93!" });
    await platform.identity.signIn({ email: "perm@example.com", password: "correct horse battery staple 93!" });
    await platform.mailer.send({ to: "perm@example.com", subject: "Done", text: "done", html: "<p>done</p>" });
    // A single-PUT upload and a multipart one, over HTTP, as clients send them.
    const single = await platform.blobs.videos.createUploadTarget("u1/v1/clip.mp4", {
      contentType: "video/mp4",
      sizeBytes: 1000,
      expiresInSeconds: 60,
    });
    const put = await fetch(single.url, {
      method: "PUT",
      headers: Object.fromEntries(single.headers.map((h) => [h.name, h.value])),
      body: new Uint8Array(bytes(1000)),
    });
    expect(put.status).toBe(200);
    const multi = await platform.blobs.videos.createUploadTarget("u1/v2/big.mp4", {
      contentType: "video/mp4",
      sizeBytes: 300_000,
      expiresInSeconds: 60,
    });
    const parts = [];
    for (const p of multi.multipart!.parts) {
      const res = await fetch(p.url, {
        method: "PUT",
        headers: { "Content-Type": "video/mp4" },
        body: new Uint8Array(bytes(p.sizeBytes)),
      });
      expect(res.status).toBe(200);
      parts.push({ partNumber: p.partNumber, etag: res.headers.get("etag")! });
    }
    // One more multipart upload left in progress: its manifest and part are on disk.
    const pending = await platform.blobs.videos.createUploadTarget("u1/v3/pending.mp4", {
      contentType: "video/mp4",
      sizeBytes: 300_000,
      expiresInSeconds: 60,
    });
    const p1 = pending.multipart!.parts[0]!;
    await fetch(p1.url, {
      method: "PUT",
      headers: { "Content-Type": "video/mp4" },
      body: new Uint8Array(bytes(p1.sizeBytes)),
    });
    await platform.blobs.videos.completeUpload("u1/v2/big.mp4", { uploadId: multi.multipart!.uploadId, parts });
    // A job's archive, streamed in as the worker does.
    await platform.blobs.archives.put("u1/j1/frames.zip", Readable.from([bytes(70_000), bytes(70_000)]), {
      contentType: "application/zip",
    });

    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    const entries = await walk(dataDir);
    const names = entries.map((e) => e.path);
    for (const expected of [
      "video-processor.db",
      "video-processor.db-wal",
      "video-processor.db-shm",
      "keys/url-signing.key",
      "keys/signing-key.es256.json",
      "blobs/videos/u1/v1/clip.mp4",
      "blobs/videos/.meta/u1/v1/clip.mp4.json",
      "blobs/videos/u1/v2/big.mp4",
      "blobs/archives/u1/j1/frames.zip",
      `blobs/videos/.tmp/uploads/${pending.multipart!.uploadId}/manifest.json`,
      `blobs/videos/.tmp/uploads/${pending.multipart!.uploadId}/1`,
      `blobs/videos/.tmp/uploads/${pending.multipart!.uploadId}/1.etag`,
    ])
      expect(names).toContain(expected);
    expect(names.some((n) => n.startsWith("outbox/") && n.endsWith(".eml"))).toBe(true);
    const loose = entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600));
    expect(loose.map((e) => `${e.path} ${e.mode.toString(8)}`)).toEqual([]);
  });
});

describe("tightening what an older version left", () => {
  it("makes an existing database, its WAL files and the keys 0600 when the platform opens them", async () => {
    const umask = process.umask(0o022);
    const root = await mkdtemp(join(tmpdir(), "vp-hygiene-old-"));
    const options = {
      dataDir: root,
      publicUrl: () => "http://127.0.0.1:1",
      issuer: "urn:video-processor:test",
      accessTokenTtlSeconds: 600,
      requireEmailConfirmation: false,
      mailFrom: "video-processor <no-reply@vp.test>",
      jobMaxAttempts: 3,
    };
    try {
      const first = await createLocalPlatform(options);
      await first.close();
      const files = ["video-processor.db", "keys/url-signing.key", "keys/signing-key.es256.json"];
      for (const f of files) await chmod(join(root, f), 0o644);
      await chmod(root, 0o755);
      await chmod(join(root, "keys"), 0o755);
      const again = await createLocalPlatform(options);
      try {
        expect((await stat(root)).mode & 0o777).toBe(0o700);
        for (const f of [...files, "video-processor.db-wal", "video-processor.db-shm"])
          expect((await stat(join(root, f))).mode & 0o777, f).toBe(0o600);
      } finally {
        await again.close();
      }
    } finally {
      process.umask(umask);
      await rm(root, { recursive: true, force: true });
    }
  });

  it("sweeps on a timer while running, and stops sweeping once closed", async () => {
    const root = await mkdtemp(join(tmpdir(), "vp-hygiene-timer-"));
    const tmp = join(root, "blobs", "videos", ".tmp");
    const stale = async (name: string) => {
      await mkdir(tmp, { recursive: true });
      const path = join(tmp, name.repeat(24));
      await writeFile(path, "dead upload");
      const old = new Date(Date.now() - 2 * 3600_000);
      await utimes(path, old, old);
      return path;
    };
    const gone = (path: string) =>
      stat(path).then(
        () => false,
        () => true,
      );
    const platform = await createLocalPlatform({
      dataDir: root,
      publicUrl: () => "http://127.0.0.1:1",
      issuer: "urn:video-processor:test",
      accessTokenTtlSeconds: 600,
      requireEmailConfirmation: false,
      mailFrom: "video-processor <no-reply@vp.test>",
      jobMaxAttempts: 3,
      tempMaxAgeSeconds: 3600,
      sweepIntervalSeconds: 0.2,
    });
    try {
      await new Promise((r) => setTimeout(r, 300)); // the start-up sweep is over: the timer's comes next
      const first = await stale("d");
      await until(() => gone(first), "the timer's sweep");
    } finally {
      await platform.close();
    }
    const after = await stale("e");
    await new Promise((r) => setTimeout(r, 600));
    expect(await gone(after)).toBe(false);
    await rm(root, { recursive: true, force: true });
  });
});
