import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DomainError, isDomainError } from "@vp/schema";
import type { BlobInfo, BlobStore, LocalFile, SignedUrl, UploadTarget } from "../ports/blob-store.js";
import { checkKey, encodeKeyPath } from "./blob-keys.js";
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
}

interface Sidecar {
  readonly contentType: string | null;
}

/** What a signed URL carries, besides the key. */
export interface SignedUpload {
  readonly expires: number;
  readonly sizeBytes: number;
  readonly contentType: string;
}
export interface SignedDownload {
  readonly expires: number;
  readonly filename: string;
  readonly contentType: string | null;
}

const notFound = (key: string) => new DomainError("NOT_FOUND", `blob ${key} not found`);
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

  constructor(options: LocalDiskBlobStoreOptions) {
    if (!/^[a-z0-9][a-z0-9.-]{0,62}$/.test(options.bucket))
      throw new RangeError(`invalid bucket name ${options.bucket}`);
    this.root = options.root;
    this.bucket = options.bucket;
    this.secret = options.secret;
    this.baseUrl = options.baseUrl;
    this.clock = options.clock ?? Date.now;
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

  async put(
    key: string,
    body: Readable | Uint8Array,
    options: {
      readonly contentType?: string;
      readonly maxBytes?: number;
      readonly expectedBytes?: number;
    } = {},
  ): Promise<BlobInfo> {
    const dest = this.dataPath(key);
    const metaDest = this.metaPath(key);
    const { maxBytes, expectedBytes } = options;
    const source =
      body instanceof Readable ? body : Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]);
    await mkdir(join(this.root, ".tmp"), { recursive: true });
    const temp = this.tempPath();
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
      await pipeline(source, counter, createWriteStream(temp, { flags: "wx", flush: true }));
      if (expectedBytes !== undefined && size !== expectedBytes)
        throw new DomainError("SIZE_MISMATCH", `received ${size} bytes, expected ${expectedBytes}`);
      const contentType = options.contentType ?? null;
      await this.writeAtomically(metaDest, JSON.stringify({ contentType } satisfies Sidecar));
      await mkdir(dirname(dest), { recursive: true });
      await rename(temp, dest);
      return { sizeBytes: size, contentType };
    } catch (e) {
      await rm(temp, { force: true });
      if (body instanceof Readable && !body.destroyed) body.destroy();
      if (isErrno(e, "EISDIR", "ENOTDIR", "EEXIST"))
        throw new DomainError("CONFLICT", `blob key ${key} collides with another key used as a folder`);
      throw e;
    }
  }

  private async writeAtomically(path: string, text: string): Promise<void> {
    const temp = this.tempPath();
    try {
      await writeFile(temp, text, { flag: "wx" });
      await mkdir(dirname(path), { recursive: true });
      await rename(temp, path);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.dataPath(key);
    try {
      // Opening first pins the file: a concurrent overwrite renames a new inode in, this read keeps the old one.
      const handle = await open(path, "r");
      const info = await handle.stat();
      if (!info.isFile()) {
        await handle.close();
        throw notFound(key);
      }
      return handle.createReadStream();
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

  async createUploadTarget(
    key: string,
    options: {
      readonly contentType: string;
      readonly sizeBytes: number;
      readonly expiresInSeconds: number;
    },
  ): Promise<UploadTarget> {
    checkKey(key);
    if (!Number.isSafeInteger(options.sizeBytes) || options.sizeBytes < 0)
      throw new DomainError("VALIDATION", "sizeBytes must be a whole number of zero or more", ["sizeBytes"]);
    checkHeaderValue(options.contentType, "contentType");
    const expires = this.expiry(options.expiresInSeconds);
    const sig = sign(
      this.secret,
      uploadFields(this.bucket, key, {
        expires,
        sizeBytes: options.sizeBytes,
        contentType: options.contentType,
      }),
    );
    const q = new URLSearchParams({
      expires: String(expires),
      size: String(options.sizeBytes),
      ct: options.contentType,
      sig,
    });
    return {
      url: `${this.baseUrl()}/blobs/${this.bucket}/${encodeKeyPath(key)}?${q}`,
      method: "PUT",
      headers: [{ name: "Content-Type", value: options.contentType }],
      expiresAt: new Date(expires * 1000),
    };
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
];
export const downloadFields = (bucket: string, key: string, s: SignedDownload): Array<string | number> => [
  "GET",
  bucket,
  key,
  s.expires,
  s.filename,
  s.contentType ?? "",
];
