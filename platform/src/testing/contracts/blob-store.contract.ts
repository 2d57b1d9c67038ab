import { Readable } from "node:stream";
import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BlobStore, UploadTarget } from "../../ports/blob-store.js";
import { bytes, expectDomainError, readAll } from "./helpers.js";

export interface BlobStoreFixture {
  readonly store: BlobStore;
  /**
   * Moves the clock that signs and checks URLs forward. Without it the suite waits for a
   * one-second expiry in real time.
   */
  readonly advanceTime?: (seconds: number) => void;
  /** The multipart threshold and part size the store was built with (kept tiny so tests send small parts). */
  readonly multipart: { readonly thresholdBytes: number; readonly partSizeBytes: number };
  cleanup(): Promise<void>;
}

/** A body that hands out `first`, then waits for `release()` before the rest: a put that is visibly in progress. */
function gatedBody(first: Buffer, rest: Buffer): { body: Readable; started: Promise<void>; release: () => void } {
  let release!: () => void;
  let started!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const startedP = new Promise<void>((r) => (started = r));
  let step = 0;
  const body = new Readable({
    read() {
      if (step === 0) {
        step = 1;
        this.push(first);
        started();
      } else if (step === 1) {
        step = 2;
        void gate.then(() => {
          this.push(rest);
          this.push(null);
        });
      }
    },
  });
  return { body, started: startedP, release };
}

/**
 * The BlobStore port's behaviour, written only against the interface: run it for every adapter.
 * Upload targets and download URLs are exercised over real HTTP with fetch.
 */
export function blobStoreContract(name: string, make: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let fx: BlobStoreFixture;
    let store: BlobStore;
    beforeEach(async () => {
      fx = await make();
      store = fx.store;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    const expire = async (seconds: number) => {
      if (fx.advanceTime !== undefined) fx.advanceTime(seconds + 1);
      else await new Promise((r) => setTimeout(r, (seconds + 1.1) * 1000));
    };

    it("round-trips bytes and content type from a buffer and from a stream", async () => {
      const a = bytes(1000, 1);
      const info = await store.put("videos/u1/a.mp4", a, {
        contentType: "video/mp4",
      });
      expect(info).toEqual({ sizeBytes: 1000, contentType: "video/mp4" });
      expect(await store.head("videos/u1/a.mp4")).toEqual({
        sizeBytes: 1000,
        contentType: "video/mp4",
      });
      expect((await readAll(await store.get("videos/u1/a.mp4"))).equals(a)).toBe(true);

      const b = bytes(200_000, 2);
      const chunks = [b.subarray(0, 70_000), b.subarray(70_000, 150_000), b.subarray(150_000)];
      await store.put("b.bin", Readable.from(chunks));
      expect(await store.head("b.bin")).toEqual({
        sizeBytes: 200_000,
        contentType: null,
      });
      expect((await readAll(await store.get("b.bin"))).equals(b)).toBe(true);
    });

    it("reads a byte range: the exact bytes, clipped at the end of the blob", async () => {
      const b = bytes(10_000, 3);
      await store.put("ranged.bin", b);
      expect(
        (await readAll(await store.get("ranged.bin", { range: { start: 0, end: 4095 } }))).equals(b.subarray(0, 4096)),
      ).toBe(true);
      expect(
        (await readAll(await store.get("ranged.bin", { range: { start: 5000, end: 5009 } }))).equals(
          b.subarray(5000, 5010),
        ),
      ).toBe(true);
      expect(
        (await readAll(await store.get("ranged.bin", { range: { start: 9990, end: 20_000 } }))).equals(
          b.subarray(9990),
        ),
      ).toBe(true);
      await expectDomainError(store.get("no-such-blob", { range: { start: 0, end: 10 } }), "NOT_FOUND");
    });

    it("stores an empty blob", async () => {
      await store.put("empty", new Uint8Array(0), {
        contentType: "text/plain",
        expectedBytes: 0,
      });
      expect(await store.head("empty")).toEqual({
        sizeBytes: 0,
        contentType: "text/plain",
      });
      expect((await readAll(await store.get("empty"))).length).toBe(0);
    });

    it("answers NOT_FOUND / null for a missing key, and deletes idempotently", async () => {
      await expectDomainError(store.get("nope/missing.bin"), "NOT_FOUND");
      expect(await store.head("nope/missing.bin")).toBeNull();
      await expectDomainError(store.openAsFile("nope/missing.bin"), "NOT_FOUND");
      await store.delete("nope/missing.bin");
      await store.put("x/y.txt", Buffer.from("hello"));
      await store.delete("x/y.txt");
      await store.delete("x/y.txt");
      expect(await store.head("x/y.txt")).toBeNull();
      await expectDomainError(store.get("x/y.txt"), "NOT_FOUND");
    });

    it("overwrites a key with the new content and type", async () => {
      await store.put("k", Buffer.from("first version"), {
        contentType: "text/plain",
      });
      await store.put("k", Buffer.from("second"), {
        contentType: "application/octet-stream",
      });
      expect(await store.head("k")).toEqual({
        sizeBytes: 6,
        contentType: "application/octet-stream",
      });
      expect((await readAll(await store.get("k"))).toString()).toBe("second");
    });

    it("refuses unsafe keys with VALIDATION", async () => {
      for (const key of ["../escape", "a/../../b", "/absolute", "a\\b", "", "a//b", "a/./b"]) {
        await expectDomainError(store.put(key, Buffer.from("x")), "VALIDATION");
        await expectDomainError(store.get(key), "VALIDATION");
        await expectDomainError(
          store.createUploadTarget(key, {
            contentType: "video/mp4",
            sizeBytes: 1,
            expiresInSeconds: 60,
          }),
          "VALIDATION",
        );
      }
    });

    it("refuses a body over maxBytes with PAYLOAD_TOO_LARGE and stores nothing", async () => {
      await expectDomainError(
        store.put("big", Readable.from([bytes(600), bytes(600)]), {
          maxBytes: 1000,
        }),
        "PAYLOAD_TOO_LARGE",
      );
      expect(await store.head("big")).toBeNull();
      await store.put("big", Buffer.from("old"));
      await expectDomainError(store.put("big", bytes(2000), { maxBytes: 1000 }), "PAYLOAD_TOO_LARGE");
      expect((await readAll(await store.get("big"))).toString()).toBe("old");
    });

    it("refuses a body of the wrong size with SIZE_MISMATCH and stores nothing", async () => {
      await expectDomainError(store.put("short", bytes(99), { expectedBytes: 100 }), "SIZE_MISMATCH");
      expect(await store.head("short")).toBeNull();
      await expectDomainError(store.put("long", bytes(101), { expectedBytes: 100 }), "SIZE_MISMATCH");
      expect(await store.head("long")).toBeNull();
      expect(
        await store.put("exact", bytes(100), {
          expectedBytes: 100,
          maxBytes: 100,
        }),
      ).toEqual({ sizeBytes: 100, contentType: null });
    });

    it("never shows a partial blob: a reader during a slow put sees nothing, then the whole", async () => {
      const first = bytes(64 * 1024, 3);
      const rest = bytes(64 * 1024, 4);
      const slow = gatedBody(first, rest);
      const putting = store.put("slow/new.bin", slow.body, {
        contentType: "video/mp4",
      });
      await slow.started;
      await new Promise((r) => setTimeout(r, 20));
      expect(await store.head("slow/new.bin")).toBeNull();
      await expectDomainError(store.get("slow/new.bin"), "NOT_FOUND");
      slow.release();
      await putting;
      expect((await readAll(await store.get("slow/new.bin"))).equals(Buffer.concat([first, rest]))).toBe(true);
    });

    it("keeps serving the previous blob, whole, while an overwrite is in progress", async () => {
      const old = bytes(5000, 5);
      await store.put("slow/over.bin", old);
      const slow = gatedBody(bytes(64 * 1024, 6), bytes(1000, 7));
      const putting = store.put("slow/over.bin", slow.body);
      await slow.started;
      await new Promise((r) => setTimeout(r, 20));
      expect((await readAll(await store.get("slow/over.bin"))).equals(old)).toBe(true);
      expect((await store.head("slow/over.bin"))?.sizeBytes).toBe(5000);
      slow.release();
      await putting;
      expect((await store.head("slow/over.bin"))?.sizeBytes).toBe(64 * 1024 + 1000);
    });

    it("opens a blob as a local file with the same bytes", async () => {
      const data = bytes(4096, 8);
      await store.put("files/v.mp4", data);
      const file = await store.openAsFile("files/v.mp4");
      try {
        expect((await readFile(file.path)).equals(data)).toBe(true);
      } finally {
        await file.release();
      }
      expect(await store.head("files/v.mp4")).not.toBeNull();
    });

    describe("signed upload target", () => {
      const send = (
        t: {
          url: string;
          method: string;
          headers: ReadonlyArray<{ name: string; value: string }>;
        },
        body: Uint8Array,
        url = t.url,
      ) =>
        fetch(url, {
          method: t.method,
          headers: Object.fromEntries(t.headers.map((h) => [h.name, h.value])),
          body: new Uint8Array(body),
        });

      it("accepts exactly the declared bytes, sent with the given headers", async () => {
        const data = bytes(30_000, 9);
        const target = await store.createUploadTarget("up/u1/video.mp4", {
          contentType: "video/mp4",
          sizeBytes: data.length,
          expiresInSeconds: 300,
        });
        expect(target.expiresAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
        const res = await send(target, data);
        expect(res.status, await res.clone().text()).toBeLessThan(300);
        expect(await store.head("up/u1/video.mp4")).toMatchObject({
          sizeBytes: data.length,
        });
        expect((await readAll(await store.get("up/u1/video.mp4"))).equals(data)).toBe(true);
      });

      it("refuses a body larger or smaller than declared, and stores nothing", async () => {
        const target = await store.createUploadTarget("up/size.mp4", {
          contentType: "video/mp4",
          sizeBytes: 1000,
          expiresInSeconds: 300,
        });
        const larger = await send(target, bytes(1001));
        expect(larger.status).toBeGreaterThanOrEqual(400);
        expect(larger.status).toBeLessThan(500);
        const smaller = await send(target, bytes(999));
        expect(smaller.status).toBeGreaterThanOrEqual(400);
        expect(smaller.status).toBeLessThan(500);
        expect(await store.head("up/size.mp4")).toBeNull();
      });

      it("refuses a tampered URL with 403", async () => {
        const target = await store.createUploadTarget("up/tamper.mp4", {
          contentType: "video/mp4",
          sizeBytes: 10,
          expiresInSeconds: 300,
        });
        const other = target.url.replace("tamper.mp4", "other.mp4");
        expect((await send(target, bytes(10), other)).status).toBe(403);
        const u = new URL(target.url);
        const sigParam = [...u.searchParams.keys()].find((k) => /sig/i.test(k));
        expect(sigParam).toBeDefined();
        const sig = u.searchParams.get(sigParam!)!;
        u.searchParams.set(sigParam!, (sig[0] === "A" ? "B" : "A") + sig.slice(1));
        expect((await send(target, bytes(10), u.toString())).status).toBe(403);
        expect(await store.head("up/tamper.mp4")).toBeNull();
        expect(await store.head("up/other.mp4")).toBeNull();
      });

      it("a second PUT to a used target is refused and the bytes stay", async () => {
        const first = bytes(5000, 21);
        const target = await store.createUploadTarget("up/once.mp4", {
          contentType: "video/mp4",
          sizeBytes: first.length,
          expiresInSeconds: 300,
        });
        const ok = await send(target, first);
        expect(ok.status, await ok.clone().text()).toBeLessThan(300);
        // Other bytes of the signed size (the attack), then the same bytes again (a client retrying a
        // PUT whose answer it lost): both refused, as 4xx, and the stored blob stays as it was. The
        // retrying client's upload is complete anyway: it goes on to finish the upload.
        for (const again of [bytes(5000, 22), first]) {
          const res = await send(target, again);
          expect(res.status, await res.clone().text()).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(await store.head("up/once.mp4")).toEqual({ sizeBytes: first.length, contentType: "video/mp4" });
          expect((await readAll(await store.get("up/once.mp4"))).equals(first)).toBe(true);
        }
      });

      it("refuses an expired URL with 403", async () => {
        const target = await store.createUploadTarget("up/late.mp4", {
          contentType: "video/mp4",
          sizeBytes: 10,
          expiresInSeconds: 1,
        });
        await expire(1);
        expect((await send(target, bytes(10))).status).toBe(403);
        expect(await store.head("up/late.mp4")).toBeNull();
      });
    });

    describe("multipart upload target", () => {
      type Part = NonNullable<UploadTarget["multipart"]>["parts"][number];
      const sendPart = (t: UploadTarget, part: Part, body: Uint8Array) =>
        fetch(part.url, {
          method: t.method,
          headers: Object.fromEntries(t.headers.map((h) => [h.name, h.value])),
          body: new Uint8Array(body),
        });
      /** Just over the threshold and at least two whole parts and a bit: three parts, the last short. */
      const size = () => Math.max(fx.multipart.thresholdBytes + 1, 2 * fx.multipart.partSizeBytes + 1);
      const begin = async (key: string) => {
        const data = bytes(size(), 11);
        const target = await store.createUploadTarget(key, {
          contentType: "video/mp4",
          sizeBytes: data.length,
          expiresInSeconds: 300,
        });
        const mp = target.multipart;
        if (mp === undefined) throw new Error("expected a multipart target");
        let offset = 0;
        const slices = mp.parts.map((p) => {
          const slice = data.subarray(offset, offset + p.sizeBytes);
          offset += p.sizeBytes;
          return slice;
        });
        /** Sends the given parts (all by default) and answers their ETags by part number. */
        const sendParts = async (which = mp.parts.map((p) => p.partNumber)) => {
          const etags = new Map<number, string>();
          for (const n of which) {
            const res = await sendPart(target, mp.parts[n - 1]!, slices[n - 1]!);
            expect(res.status, await res.clone().text()).toBeLessThan(300);
            const etag = res.headers.get("etag");
            expect(etag).toBeTruthy();
            etags.set(n, etag!);
          }
          return etags;
        };
        return { data, target, mp, slices, sendParts };
      };

      it("keeps single PUT up to the threshold", async () => {
        const target = await store.createUploadTarget("mp/small.mp4", {
          contentType: "video/mp4",
          sizeBytes: fx.multipart.thresholdBytes,
          expiresInSeconds: 300,
        });
        expect(target.multipart).toBeUndefined();
      });

      it("splits into exact parts, the last taking the remainder, and round-trips once completed", async () => {
        const { data, target, mp, sendParts } = await begin("mp/u1/video.mp4");
        expect(mp.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
        expect(mp.parts.map((p) => p.sizeBytes)).toEqual([
          fx.multipart.partSizeBytes,
          fx.multipart.partSizeBytes,
          data.length - 2 * fx.multipart.partSizeBytes,
        ]);
        // A single-PUT client sending the whole file to `url` is refused, not half-stored.
        expect(target.url).toBe(mp.parts[0]!.url);
        const etags = await sendParts();
        // Every part is in, but nothing is visible before completion.
        expect(await store.head("mp/u1/video.mp4")).toBeNull();
        const info = await store.completeUpload("mp/u1/video.mp4", {
          uploadId: mp.uploadId,
          parts: [...etags].map(([partNumber, etag]) => ({ partNumber, etag })),
        });
        expect(info).toEqual({ sizeBytes: data.length, contentType: "video/mp4" });
        expect(await store.head("mp/u1/video.mp4")).toEqual({ sizeBytes: data.length, contentType: "video/mp4" });
        expect((await readAll(await store.get("mp/u1/video.mp4"))).equals(data)).toBe(true);
      });

      it("refuses a part of the wrong size at PUT", async () => {
        const { target, mp, slices } = await begin("mp/wrong.mp4");
        for (const body of [slices[0]!.subarray(1), Buffer.concat([slices[0]!, Buffer.from("x")])]) {
          const res = await sendPart(target, mp.parts[0]!, body);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        }
        const whole = await fetch(target.url, {
          method: target.method,
          headers: Object.fromEntries(target.headers.map((h) => [h.name, h.value])),
          body: new Uint8Array(Buffer.concat(slices)),
        });
        expect(whole.status).toBeGreaterThanOrEqual(400);
        expect(await store.head("mp/wrong.mp4")).toBeNull();
      });

      it("refuses a completion with a missing, extra or out-of-order part, storing nothing", async () => {
        const { mp, sendParts } = await begin("mp/missing.mp4");
        const etags = await sendParts();
        const all = [...etags].map(([partNumber, etag]) => ({ partNumber, etag }));
        const complete = (parts: typeof all) =>
          store.completeUpload("mp/missing.mp4", { uploadId: mp.uploadId, parts });
        await expectDomainError(complete([all[0]!, all[2]!]), "VALIDATION");
        await expectDomainError(complete(all.slice(0, 2)), "VALIDATION");
        await expectDomainError(complete([all[1]!, all[0]!, all[2]!]), "VALIDATION");
        await expectDomainError(complete([...all, { partNumber: 4, etag: all[0]!.etag }]), "VALIDATION");
        await expectDomainError(
          store.completeUpload("mp/missing.mp4", { uploadId: "f".repeat(32), parts: all }),
          "UPLOAD_MISSING",
        );
        await expectDomainError(
          store.completeUpload("mp/other.mp4", { uploadId: mp.uploadId, parts: all }),
          "UPLOAD_MISSING",
        );
        expect(await store.head("mp/missing.mp4")).toBeNull();
        // The refusals left the upload intact: it still completes.
        expect((await complete(all)).sizeBytes).toBe(size());
      });

      it("once completed, its parts' URLs and a second completion cannot change the object", async () => {
        const { data, target, mp, slices, sendParts } = await begin("mp/done.mp4");
        const etags = await sendParts();
        const parts = [...etags].map(([partNumber, etag]) => ({ partNumber, etag }));
        await store.completeUpload("mp/done.mp4", { uploadId: mp.uploadId, parts });
        // Each part's URL again, with other bytes of the right size. The local store refuses (the upload
        // is gone); S3 answers NoSuchUpload (s3rver takes the part into a folder it never reads again).
        for (const [i, part] of mp.parts.entries()) {
          const res = await sendPart(target, part, bytes(slices[i]!.length, 30 + i));
          await res.arrayBuffer();
        }
        await expectDomainError(
          store.completeUpload("mp/done.mp4", { uploadId: mp.uploadId, parts }),
          "UPLOAD_MISSING",
        );
        expect(await store.head("mp/done.mp4")).toEqual({ sizeBytes: data.length, contentType: "video/mp4" });
        expect((await readAll(await store.get("mp/done.mp4"))).equals(data)).toBe(true);
      });

      it("aborts idempotently, leaving nothing to complete or read", async () => {
        const { mp, sendParts } = await begin("mp/aborted.mp4");
        const etags = await sendParts();
        await store.abortUpload("mp/aborted.mp4", mp.uploadId);
        await store.abortUpload("mp/aborted.mp4", mp.uploadId);
        await expectDomainError(
          store.completeUpload("mp/aborted.mp4", {
            uploadId: mp.uploadId,
            parts: [...etags].map(([partNumber, etag]) => ({ partNumber, etag })),
          }),
          "UPLOAD_MISSING",
        );
        expect(await store.head("mp/aborted.mp4")).toBeNull();
      });
    });

    describe("signed download URL", () => {
      it("downloads the blob as an attachment named as asked", async () => {
        const data = bytes(12_345, 10);
        await store.put("archives/j1.zip", data, {
          contentType: "application/zip",
        });
        const signed = await store.createDownloadUrl("archives/j1.zip", {
          filename: "frames of été.zip",
          expiresInSeconds: 300,
          contentType: "application/zip",
        });
        const res = await fetch(signed.url);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("application/zip");
        const disposition = res.headers.get("content-disposition") ?? "";
        expect(disposition).toMatch(/^attachment/);
        expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent("frames of été.zip")}`);
        expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true);
      });

      it("refuses a tampered or expired URL with 403", async () => {
        await store.put("archives/j2.zip", bytes(100));
        const signed = await store.createDownloadUrl("archives/j2.zip", {
          filename: "a.zip",
          expiresInSeconds: 1,
        });
        const tampered = new URL(signed.url);
        tampered.pathname = tampered.pathname.replace("j2.zip", "j3.zip");
        await store.put("archives/j3.zip", bytes(100));
        expect((await fetch(tampered)).status).toBe(403);
        await expire(1);
        expect((await fetch(signed.url)).status).toBe(403);
      });
    });
  });
}
