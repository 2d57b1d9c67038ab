import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DomainError, isDomainError } from "@vp/domain";
import type {
  BlobInfo,
  BlobStore,
  ByteRange,
  CompletedUpload,
  LocalFile,
  SignedUrl,
  UploadTarget,
  UploadTargetOptions,
} from "../ports/blob-store.js";
import { checkKey, encodeKeyPath } from "../shared/blob-keys.js";
import {
  checkPartList,
  DEFAULT_MULTIPART_THRESHOLD_BYTES,
  DEFAULT_PART_SIZE_BYTES,
  planParts,
} from "../shared/multipart.js";
import { sign } from "./url-signer.js";

export interface LocalDiskBlobStoreOptions {
  /** Folder holding this bucket's blobs (plus `.tmp/` and `.meta/`). */
  readonly root: string;
  /** Name in signed URLs: `/blobs/<bucket>/<key>`. */
  readonly bucket: string;
  /** HMAC key of signed URLs. */
  readonly secret: Uint8Array;
  /** Public origin of the HTTP server serving `/blobs/...`; a function because with PORT=0 it is known only after listen. */
  readonly baseUrl: () => string;
  /** Unix milliseconds. @default Date.now */
  readonly clock?: () => number;
  /** Upload targets above this size are multipart. @default 256 MiB */
  readonly multipartThresholdBytes?: number;
  /** Size of every part of a multipart target but the last. @default 64 MiB */
  readonly partSizeBytes?: number;
}

const UPLOAD_ID = /^[0-9a-f]{32}$/;
/** Blobs, sidecars, parts and temp files: readable by this user only, whatever the umask (it can only remove bits). */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
const TEMP_NAME = /^[0-9a-f]{24}$/;

/** What one sweep of the temp area removed. */
export interface SweepResult {
  /** Temp files (half-written blobs, sidecars, archives) of writes that died. */
  readonly tempFiles: number;
  /** Multipart uploads never completed nor aborted. */
  readonly uploads: number;
}

export interface SweepOptions {
  /** A temp file untouched (mtime) for longer than this is a dead write's. */
  readonly tempMaxAgeMs: number;
  /**
   * A multipart upload started (manifest written) longer ago than this, and none of whose files
   * was touched within tempMaxAgeMs, is abandoned: as S3's AbortIncompleteMultipartUpload rule.
   */
  readonly uploadMaxAgeMs: number;
}
const unquote = (etag: string): string => etag.replace(/"/g, "");

/** What createUploadTarget records of a multipart upload, next to its parts. */
interface UploadManifest {
  readonly key: string;
  readonly contentType: string;
  readonly partSizes: number[];
}

interface Sidecar {
  readonly contentType: string | null;
}

/** What a signed URL carries, besides the key. */
export interface SignedUpload {
  readonly expires: number;
  readonly sizeBytes: number;
  readonly contentType: string;
  /** Set on the URL of one part of a multipart upload. */
  readonly part?: { readonly uploadId: string; readonly partNumber: number };
}
export interface SignedDownload {
  readonly expires: number;
  readonly filename: string;
  readonly contentType: string | null;
}

const notFound = (key: string) => new DomainError("NOT_FOUND", `blob ${key} not found`);
/** An upload target is single-use: once its blob is in place, a repeat PUT (even of the same bytes) is refused. */
export const alreadyUploaded = (key: string) =>
  new DomainError(
    "CONFLICT",
    `this upload target was already used: ${key} is uploaded and complete; nothing was changed (finish the upload, e.g. completeVideoUpload, or ask for a new target)`,
  );
const isErrno = (e: unknown, ...codes: string[]): boolean =>
  typeof e === "object" && e !== null && "code" in e && codes.includes(String(e.code));

/**
 * Blobs as files. Writes go to `.tmp/` and are renamed into place, so a reader sees either the
 * previous blob or the whole new one, never a partial file. The content type lives in a JSON sidecar
 * under `.meta/`, also written by rename, before the data is renamed.
 */
export class LocalDiskBlobStore implements BlobStore {
  readonly bucket: string;
  readonly secret: Uint8Array;
  readonly clock: () => number;
  private readonly root: string;
  private readonly baseUrl: () => string;
  private readonly multipartThreshold: number;
  private readonly partSize: number;
  /** Temp files and upload folders this process is writing right now: never swept, whatever their age. */
  private readonly live = new Map<string, number>();

  constructor(options: LocalDiskBlobStoreOptions) {
    if (!/^[a-z0-9][a-z0-9.-]{0,62}$/.test(options.bucket))
      throw new RangeError(`invalid bucket name ${options.bucket}`);
    this.root = options.root;
    this.bucket = options.bucket;
    this.secret = options.secret;
    this.baseUrl = options.baseUrl;
    this.clock = options.clock ?? Date.now;
    this.multipartThreshold = options.multipartThresholdBytes ?? DEFAULT_MULTIPART_THRESHOLD_BYTES;
    this.partSize = Math.max(1, options.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES);
  }

  private hold(path: string): () => void {
    this.live.set(path, (this.live.get(path) ?? 0) + 1);
    return () => {
      const n = (this.live.get(path) ?? 1) - 1;
      if (n <= 0) this.live.delete(path);
      else this.live.set(path, n);
    };
  }

  private dataPath(key: string): string {
    return join(this.root, ...checkKey(key));
  }
  private metaPath(key: string): string {
    const segments = checkKey(key);
    return join(this.root, ".meta", ...segments.slice(0, -1), `${segments[segments.length - 1]}.json`);
  }
  private tempPath(): string {
    return join(this.root, ".tmp", randomBytes(12).toString("hex"));
  }
  /** A multipart upload's parts live in the temp area until completed or aborted. */
  private uploadDir(uploadId: string): string {
    if (!UPLOAD_ID.test(uploadId)) throw new DomainError("UPLOAD_MISSING", "no such multipart upload", ["uploadId"]);
    return join(this.root, ".tmp", "uploads", uploadId);
  }
  private async readManifest(key: string, uploadId: string): Promise<UploadManifest> {
    const dir = this.uploadDir(uploadId);
    let manifest: UploadManifest;
    try {
      manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as UploadManifest;
    } catch (e) {
      if (isErrno(e, "ENOENT", "ENOTDIR"))
        throw new DomainError("UPLOAD_MISSING", "no such multipart upload", ["uploadId"]);
      throw e;
    }
    if (manifest.key !== key)
      throw new DomainError("UPLOAD_MISSING", `no such multipart upload for ${key}`, ["uploadId"]);
    return manifest;
  }

  /**
   * With `ifAbsent` (the HTTP handler's upload targets), refuses with CONFLICT, changing nothing,
   * when `key` already holds a blob: checked before reading the body and again, atomically, when
   * the blob is put in place (hard link, which fails when the name exists, instead of rename).
   */
  async put(
    key: string,
    body: Readable | Uint8Array,
    options: {
      readonly contentType?: string;
      readonly maxBytes?: number;
      readonly expectedBytes?: number;
      readonly ifAbsent?: boolean;
    } = {},
  ): Promise<BlobInfo> {
    const dest = this.dataPath(key);
    const metaDest = this.metaPath(key);
    const { maxBytes, expectedBytes, ifAbsent = false } = options;
    const source =
      body instanceof Readable ? body : Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]);
    const temp = this.tempPath();
    const release = this.hold(temp);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (maxBytes !== undefined && size > maxBytes)
          return cb(new DomainError("PAYLOAD_TOO_LARGE", `body exceeds the limit of ${maxBytes} bytes`));
        if (expectedBytes !== undefined && size > expectedBytes)
          return cb(new DomainError("SIZE_MISMATCH", `body is larger than the declared ${expectedBytes} bytes`));
        cb(null, chunk);
      },
    });
    try {
      if (ifAbsent && (await this.exists(dest))) throw alreadyUploaded(key);
      await mkdir(join(this.root, ".tmp"), { recursive: true, mode: DIR_MODE });
      await pipeline(source, counter, createWriteStream(temp, { flags: "wx", flush: true, mode: FILE_MODE }));
      if (expectedBytes !== undefined && size !== expectedBytes)
        throw new DomainError("SIZE_MISMATCH", `received ${size} bytes, expected ${expectedBytes}`);
      const contentType = options.contentType ?? null;
      if (ifAbsent && (await this.exists(dest))) throw alreadyUploaded(key);
      await this.writeAtomically(metaDest, JSON.stringify({ contentType } satisfies Sidecar));
      await mkdir(dirname(dest), { recursive: true, mode: DIR_MODE });
      if (ifAbsent) {
        try {
          await link(temp, dest);
        } catch (e) {
          if (isErrno(e, "EEXIST") && (await this.exists(dest))) throw alreadyUploaded(key);
          throw e;
        }
        await unlink(temp);
      } else await rename(temp, dest);
      return { sizeBytes: size, contentType };
    } catch (e) {
      await rm(temp, { force: true });
      if (body instanceof Readable && !body.destroyed) body.destroy();
      if (isErrno(e, "EISDIR", "ENOTDIR", "EEXIST"))
        throw new DomainError("CONFLICT", `blob key ${key} collides with another key used as a folder`);
      throw e;
    } finally {
      release();
    }
  }

  private async exists(path: string): Promise<boolean> {
    try {
      return (await stat(path)).isFile();
    } catch (e) {
      if (isErrno(e, "ENOENT", "ENOTDIR")) return false;
      throw e;
    }
  }

  private async writeAtomically(path: string, text: string): Promise<void> {
    const temp = this.tempPath();
    const release = this.hold(temp);
    try {
      await writeFile(temp, text, { flag: "wx", mode: FILE_MODE });
      await mkdir(dirname(path), { recursive: true, mode: DIR_MODE });
      await rename(temp, path);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    } finally {
      release();
    }
  }

  async get(key: string, options: { readonly range?: ByteRange } = {}): Promise<Readable> {
    const path = this.dataPath(key);
    try {
      // Opening first pins the file: a concurrent overwrite renames a new inode in, this read keeps the old one.
      const handle = await open(path, "r");
      const info = await handle.stat();
      if (!info.isFile()) {
        await handle.close();
        throw notFound(key);
      }
      return handle.createReadStream(options.range ? { start: options.range.start, end: options.range.end } : {});
    } catch (e) {
      if (isErrno(e, "ENOENT", "ENOTDIR", "EISDIR")) throw notFound(key);
      throw e;
    }
  }

  /** Like get, with the size and content type of the very file being streamed, and an optional byte range. */
  async openForRead(
    key: string,
    range?: { start: number; end: number },
  ): Promise<{ stream: Readable; info: BlobInfo }> {
    const path = this.dataPath(key);
    try {
      const handle = await open(path, "r");
      const s = await handle.stat();
      if (!s.isFile()) {
        await handle.close();
        throw notFound(key);
      }
      const stream = handle.createReadStream(range === undefined ? {} : { start: range.start, end: range.end });
      return {
        stream,
        info: {
          sizeBytes: s.size,
          contentType: await this.readContentType(key),
        },
      };
    } catch (e) {
      if (isErrno(e, "ENOENT", "ENOTDIR", "EISDIR")) throw notFound(key);
      throw e;
    }
  }

  private async readContentType(key: string): Promise<string | null> {
    try {
      const meta = JSON.parse(await readFile(this.metaPath(key), "utf8")) as Sidecar;
      return typeof meta.contentType === "string" ? meta.contentType : null;
    } catch {
      return null;
    }
  }

  async head(key: string): Promise<BlobInfo | null> {
    const path = this.dataPath(key);
    try {
      const s = await stat(path);
      if (!s.isFile()) return null;
      return {
        sizeBytes: s.size,
        contentType: await this.readContentType(key),
      };
    } catch (e) {
      if (isErrno(e, "ENOENT", "ENOTDIR")) return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.dataPath(key);
    for (const p of [path, this.metaPath(key)]) {
      try {
        await unlink(p);
      } catch (e) {
        if (!isErrno(e, "ENOENT", "ENOTDIR", "EISDIR", "EPERM")) throw e;
      }
    }
  }

  async openAsFile(key: string): Promise<LocalFile> {
    const path = this.dataPath(key);
    const s = await stat(path).catch((e: unknown) => {
      if (isErrno(e, "ENOENT", "ENOTDIR")) return null;
      throw e;
    });
    if (s === null || !s.isFile()) throw notFound(key);
    return { path, release: async () => {} };
  }

  async createUploadTarget(key: string, options: UploadTargetOptions): Promise<UploadTarget> {
    checkKey(key);
    if (!Number.isSafeInteger(options.sizeBytes) || options.sizeBytes < 0)
      throw new DomainError("VALIDATION", "sizeBytes must be a whole number of zero or more", ["sizeBytes"]);
    checkHeaderValue(options.contentType, "contentType");
    const expires = this.expiry(options.expiresInSeconds);
    const { contentType } = options;
    const headers = [{ name: "Content-Type", value: contentType }];
    const expiresAt = new Date(expires * 1000);
    if (options.sizeBytes <= this.multipartThreshold)
      return {
        url: this.signedPutUrl(key, { expires, sizeBytes: options.sizeBytes, contentType }),
        method: "PUT",
        headers,
        expiresAt,
      };

    const uploadId = randomBytes(16).toString("hex");
    const partSizes = planParts(options.sizeBytes, Math.max(1, options.partSizeBytes ?? this.partSize));
    const dir = this.uploadDir(uploadId);
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    await writeFile(
      join(dir, "manifest.json"),
      JSON.stringify({ key, contentType, partSizes } satisfies UploadManifest),
      { mode: FILE_MODE },
    );
    const parts = partSizes.map((sizeBytes, i) => ({
      partNumber: i + 1,
      sizeBytes,
      url: this.signedPutUrl(key, { expires, sizeBytes, contentType, part: { uploadId, partNumber: i + 1 } }),
    }));
    return { url: parts[0]!.url, method: "PUT", headers, expiresAt, multipart: { uploadId, parts } };
  }

  private signedPutUrl(key: string, signed: SignedUpload): string {
    const q = new URLSearchParams({
      expires: String(signed.expires),
      size: String(signed.sizeBytes),
      ct: signed.contentType,
    });
    if (signed.part !== undefined) {
      q.set("uploadId", signed.part.uploadId);
      q.set("part", String(signed.part.partNumber));
    }
    q.set("sig", sign(this.secret, uploadFields(this.bucket, key, signed)));
    return `${this.baseUrl()}/blobs/${this.bucket}/${encodeKeyPath(key)}?${q}`;
  }

  /**
   * Stores one part of a multipart upload (written aside, then renamed, like put) and answers its
   * ETag, the MD5 of its bytes. Called by the HTTP handler once the part's URL is verified.
   */
  async putPart(
    key: string,
    part: { readonly uploadId: string; readonly partNumber: number },
    body: Readable,
  ): Promise<{ sizeBytes: number; etag: string }> {
    const manifest = await this.readManifest(key, part.uploadId);
    const expected = manifest.partSizes[part.partNumber - 1];
    if (expected === undefined) throw new DomainError("VALIDATION", `no part ${part.partNumber} in this upload`);
    const dir = this.uploadDir(part.uploadId);
    const temp = join(dir, `${part.partNumber}.${randomBytes(6).toString("hex")}.partial`);
    const release = this.hold(dir);
    const md5 = createHash("md5");
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > expected)
          return cb(new DomainError("SIZE_MISMATCH", `part ${part.partNumber} has more than ${expected} bytes`));
        md5.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(temp, { flags: "wx", flush: true, mode: FILE_MODE }));
      if (size !== expected)
        throw new DomainError("SIZE_MISMATCH", `part ${part.partNumber} has ${size} bytes, expected ${expected}`);
      const etag = `"${md5.digest("hex")}"`;
      // The ETag first: a part file without one is never taken as sent.
      await writeFile(join(dir, `${part.partNumber}.etag`), etag, { mode: FILE_MODE });
      await rename(temp, join(dir, String(part.partNumber)));
      return { sizeBytes: size, etag };
    } catch (e) {
      await rm(temp, { force: true });
      if (!body.destroyed) body.destroy();
      if (isErrno(e, "ENOENT"))
        throw new DomainError("UPLOAD_MISSING", "the multipart upload was completed or aborted");
      throw e;
    } finally {
      release();
    }
  }

  /** Concatenates the parts in order into a temp file, then renames it into place: nothing shows before. */
  async completeUpload(key: string, upload: CompletedUpload): Promise<BlobInfo> {
    checkKey(key);
    const manifest = await this.readManifest(key, upload.uploadId);
    checkPartList(upload.parts, manifest.partSizes.length);
    const dir = this.uploadDir(upload.uploadId);
    for (const [i, p] of upload.parts.entries()) {
      const expected = manifest.partSizes[i]!;
      const [s, etag] = await Promise.all([
        stat(join(dir, String(p.partNumber))).catch(() => null),
        readFile(join(dir, `${p.partNumber}.etag`), "utf8").catch(() => null),
      ]);
      if (s === null || etag === null)
        throw new DomainError("UPLOAD_MISSING", `part ${p.partNumber} was never uploaded`, ["parts", String(i)]);
      if (s.size !== expected)
        throw new DomainError("SIZE_MISMATCH", `part ${p.partNumber} has ${s.size} bytes, expected ${expected}`, [
          "parts",
          String(i),
        ]);
      if (unquote(etag) !== unquote(p.etag))
        throw new DomainError("VALIDATION", `part ${p.partNumber}: the ETag does not match the uploaded part`, [
          "parts",
          String(i),
          "etag",
        ]);
    }
    const dest = this.dataPath(key);
    const temp = this.tempPath();
    const sizeBytes = manifest.partSizes.reduce((a, b) => a + b, 0);
    const release = this.hold(temp);
    const releaseDir = this.hold(dir);
    try {
      const out = createWriteStream(temp, { flags: "wx", flush: true, mode: FILE_MODE });
      const parts = upload.parts.map((p) => join(dir, String(p.partNumber)));
      await pipeline(async function* () {
        for (const path of parts) yield* createReadStream(path);
      }, out);
      await this.writeAtomically(
        this.metaPath(key),
        JSON.stringify({ contentType: manifest.contentType } satisfies Sidecar),
      );
      await mkdir(dirname(dest), { recursive: true, mode: DIR_MODE });
      await rename(temp, dest);
    } catch (e) {
      await rm(temp, { force: true });
      if (isErrno(e, "EISDIR", "ENOTDIR", "EEXIST"))
        throw new DomainError("CONFLICT", `blob key ${key} collides with another key used as a folder`);
      throw e;
    } finally {
      release();
      releaseDir();
    }
    // From here on the parts' URLs find no upload: a part PUT after completion is refused (UPLOAD_MISSING).
    await rm(dir, { recursive: true, force: true });
    return { sizeBytes, contentType: manifest.contentType };
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    checkKey(key);
    if (!UPLOAD_ID.test(uploadId)) return;
    try {
      await this.readManifest(key, uploadId);
    } catch (e) {
      // Unknown (or already gone): nothing to drop. Another key's upload is not this call's to drop.
      if (isDomainError(e, "UPLOAD_MISSING")) return;
      throw e;
    }
    await rm(this.uploadDir(uploadId), { recursive: true, force: true });
  }

  /**
   * Removes what dead writes left in `.tmp/`: temp files whose mtime is older than tempMaxAgeMs
   * (a live write touches its file at least every VP_UPLOAD_RATE_WINDOW_SECONDS for uploads, and a
   * job's archive at least every frame), and multipart uploads older than uploadMaxAgeMs whose files
   * all sat untouched for tempMaxAgeMs. Files this process is writing are never removed, whatever
   * their age. Safe to run beside live writes of other processes: their files are recent.
   */
  async sweep(options: SweepOptions, now: number = Date.now()): Promise<SweepResult> {
    const tmp = join(this.root, ".tmp");
    let tempFiles = 0;
    let uploads = 0;
    const entries = await readdir(tmp, { withFileTypes: true }).catch((e: unknown) => {
      if (isErrno(e, "ENOENT", "ENOTDIR")) return [];
      throw e;
    });
    for (const entry of entries) {
      if (!entry.isFile() || !TEMP_NAME.test(entry.name)) continue;
      const path = join(tmp, entry.name);
      if (this.live.has(path)) continue;
      const s = await stat(path).catch(() => null);
      if (s === null || now - s.mtimeMs <= options.tempMaxAgeMs) continue;
      await rm(path, { force: true });
      tempFiles++;
    }
    const uploadsDir = join(tmp, "uploads");
    const dirs = await readdir(uploadsDir, { withFileTypes: true }).catch(() => []);
    for (const entry of dirs) {
      if (!entry.isDirectory() || !UPLOAD_ID.test(entry.name)) continue;
      const dir = join(uploadsDir, entry.name);
      if (this.live.has(dir)) continue;
      const manifest = await stat(join(dir, "manifest.json")).catch(() => null);
      const started = manifest?.mtimeMs ?? (await stat(dir).catch(() => null))?.mtimeMs;
      if (started === undefined || now - started <= options.uploadMaxAgeMs) continue;
      const files = await readdir(dir).catch(() => [] as string[]);
      const times = await Promise.all(
        files.map(async (f) => (await stat(join(dir, f)).catch(() => null))?.mtimeMs ?? 0),
      );
      if (times.some((t) => now - t <= options.tempMaxAgeMs)) continue;
      await rm(dir, { recursive: true, force: true });
      uploads++;
    }
    return { tempFiles, uploads };
  }

  async createDownloadUrl(
    key: string,
    options: {
      readonly filename: string;
      readonly expiresInSeconds: number;
      readonly contentType?: string;
    },
  ): Promise<SignedUrl> {
    checkKey(key);
    checkHeaderValue(options.filename, "filename");
    if (options.contentType !== undefined) checkHeaderValue(options.contentType, "contentType");
    const expires = this.expiry(options.expiresInSeconds);
    const signed: SignedDownload = {
      expires,
      filename: options.filename,
      contentType: options.contentType ?? null,
    };
    const q = new URLSearchParams({
      expires: String(expires),
      filename: options.filename,
    });
    if (options.contentType !== undefined) q.set("ct", options.contentType);
    q.set("sig", sign(this.secret, downloadFields(this.bucket, key, signed)));
    return {
      url: `${this.baseUrl()}/blobs/${this.bucket}/${encodeKeyPath(key)}?${q}`,
      expiresAt: new Date(expires * 1000),
    };
  }

  private expiry(expiresInSeconds: number): number {
    if (!Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0)
      throw new DomainError("VALIDATION", "expiresInSeconds must be greater than zero", ["expiresInSeconds"]);
    return Math.floor(this.clock() / 1000) + Math.ceil(expiresInSeconds);
  }
}

function checkHeaderValue(value: string, field: string): void {
  if (value.length === 0 || value.length > 512 || /[\r\n\0]/.test(value))
    throw new DomainError("VALIDATION", `${field} must be 1..512 characters without line breaks`, [field]);
}

/** The exact fields an upload signature covers; the HTTP handler recomputes them from the URL. */
export const uploadFields = (bucket: string, key: string, s: SignedUpload): Array<string | number> => [
  "PUT",
  bucket,
  key,
  s.expires,
  s.sizeBytes,
  s.contentType,
  // Single-PUT URLs sign exactly the fields they always did.
  ...(s.part === undefined ? [] : ["PART", s.part.uploadId, s.part.partNumber]),
];
export const downloadFields = (bucket: string, key: string, s: SignedDownload): Array<string | number> => [
  "GET",
  bucket,
  key,
  s.expires,
  s.filename,
  s.contentType ?? "",
];
