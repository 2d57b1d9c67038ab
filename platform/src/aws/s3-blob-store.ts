import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { pipeline as pipe, Readable, Transform, type TransformCallback } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { DomainError, isDomainError } from "@vp/schema";
import type { BlobInfo, BlobStore, LocalFile, SignedUrl, UploadTarget } from "../ports/blob-store.js";
import { checkKey } from "../local/blob-keys.js";
import { contentDisposition } from "../local/blob-http-handler.js";

export interface S3BlobStoreOptions {
  readonly s3: () => S3Client;
  readonly bucket: string;
  /**
   * Streamed puts use multipart upload with parts of this size, `queueSize` in flight: memory is
   * bounded by partSize * queueSize whatever the blob's size. @default 8 MiB
   */
  readonly partSize?: number;
  /** @default 2 */
  readonly queueSize?: number;
  /** Where openAsFile copies blobs. @default os.tmpdir() */
  readonly tempDir?: string;
}

/** S3 has no "no content type": objects stored without one are marked so head() can say null. */
const UNTYPED = { "vp-untyped": "1" };

const isMissing = (e: unknown): boolean => {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return err?.name === "NoSuchKey" || err?.name === "NotFound" || err?.$metadata?.httpStatusCode === 404;
};

function checkSize(size: number, limits: { readonly maxBytes?: number; readonly expectedBytes?: number }): void {
  if (limits.maxBytes !== undefined && size > limits.maxBytes)
    throw new DomainError("PAYLOAD_TOO_LARGE", `the body exceeds ${limits.maxBytes} bytes`);
  if (limits.expectedBytes !== undefined && size !== limits.expectedBytes)
    throw new DomainError("SIZE_MISMATCH", `the body has ${size} bytes, not the declared ${limits.expectedBytes}`);
}

/** Counts bytes on the way through and fails the stream the moment a limit is broken. */
class SizeLimit extends Transform {
  count = 0;
  constructor(private readonly limits: { readonly maxBytes?: number; readonly expectedBytes?: number }) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length;
    const { maxBytes, expectedBytes } = this.limits;
    if (maxBytes !== undefined && this.count > maxBytes)
      return done(new DomainError("PAYLOAD_TOO_LARGE", `the body exceeds ${maxBytes} bytes`));
    if (expectedBytes !== undefined && this.count > expectedBytes)
      return done(new DomainError("SIZE_MISMATCH", `the body is larger than the declared ${expectedBytes} bytes`));
    done(null, chunk);
  }
  override _flush(done: TransformCallback): void {
    const { expectedBytes } = this.limits;
    if (expectedBytes !== undefined && this.count !== expectedBytes)
      return done(
        new DomainError("SIZE_MISMATCH", `the body has ${this.count} bytes, not the declared ${expectedBytes}`),
      );
    done();
  }
}

/**
 * A BlobStore on one S3 bucket. Objects appear whole or not at all (S3 semantics), so the port's
 * "no partial blob" holds without temp keys; a refused streamed put aborts its multipart upload.
 */
export class S3BlobStore implements BlobStore {
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(private readonly options: S3BlobStoreOptions) {
    this.partSize = Math.max(5 * 1024 * 1024, options.partSize ?? 8 * 1024 * 1024);
    this.queueSize = Math.max(1, options.queueSize ?? 2);
  }

  private get bucket(): string {
    return this.options.bucket;
  }

  async put(
    key: string,
    body: Readable | Uint8Array,
    options: { readonly contentType?: string; readonly maxBytes?: number; readonly expectedBytes?: number } = {},
  ): Promise<BlobInfo> {
    checkKey(key);
    const typing = options.contentType !== undefined ? { ContentType: options.contentType } : { Metadata: UNTYPED };
    const info = (sizeBytes: number): BlobInfo => ({ sizeBytes, contentType: options.contentType ?? null });
    if (body instanceof Uint8Array) {
      const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      checkSize(bytes.length, options);
      if (bytes.length <= this.partSize) {
        await this.options
          .s3()
          .send(
            new PutObjectCommand({
              Bucket: this.bucket,
              Key: key,
              Body: bytes,
              ContentLength: bytes.length,
              ...typing,
            }),
          );
        return info(bytes.length);
      }
      body = Readable.from([bytes]);
    }
    const limit = new SizeLimit(options);
    // pipe() destroys both ends on failure: a refused body stops being read at once.
    const counted = pipe(body, limit, () => undefined);
    const upload = new Upload({
      client: this.options.s3(),
      params: { Bucket: this.bucket, Key: key, Body: counted, ...typing },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (e) {
      // A refused body surfaces as whatever the upload saw first; the limit knows the real reason.
      throw isDomainError(limit.errored) ? limit.errored : e;
    }
    return info(limit.count);
  }

  async get(key: string): Promise<Readable> {
    checkKey(key);
    try {
      const res = await this.options.s3().send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return res.Body as Readable;
    } catch (e) {
      if (isMissing(e)) throw new DomainError("NOT_FOUND", `blob ${key} not found`);
      throw e;
    }
  }

  async head(key: string): Promise<BlobInfo | null> {
    checkKey(key);
    try {
      const res = await this.options.s3().send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const untyped = res.Metadata?.["vp-untyped"] === "1";
      return { sizeBytes: res.ContentLength ?? 0, contentType: untyped ? null : (res.ContentType ?? null) };
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await this.options.s3().send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async openAsFile(key: string): Promise<LocalFile> {
    const body = await this.get(key);
    const dir = await mkdtemp(join(this.options.tempDir ?? tmpdir(), "vp-s3-"));
    const path = join(dir, basename(key));
    try {
      await pipeline(body, createWriteStream(path));
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    return { path, release: () => rm(dir, { recursive: true, force: true }) };
  }

  /**
   * A presigned PUT whose signature covers Content-Length and Content-Type: S3 refuses (403)
   * a body of any other size or type, so the declared size is enforced by S3 itself. The client
   * sends the body with Content-Type as given; Content-Length is the body's own length.
   */
  async createUploadTarget(
    key: string,
    options: { readonly contentType: string; readonly sizeBytes: number; readonly expiresInSeconds: number },
  ): Promise<UploadTarget> {
    checkKey(key);
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentType: options.contentType,
      ContentLength: options.sizeBytes,
    });
    const url = await getSignedUrl(this.options.s3(), command, {
      expiresIn: options.expiresInSeconds,
      signableHeaders: new Set(["content-type", "content-length"]),
    });
    return {
      url,
      method: "PUT",
      headers: [{ name: "Content-Type", value: options.contentType }],
      expiresAt: new Date(Date.now() + options.expiresInSeconds * 1000),
    };
  }

  async createDownloadUrl(
    key: string,
    options: { readonly filename: string; readonly expiresInSeconds: number; readonly contentType?: string },
  ): Promise<SignedUrl> {
    checkKey(key);
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: contentDisposition(options.filename),
      ...(options.contentType !== undefined ? { ResponseContentType: options.contentType } : {}),
    });
    const url = await getSignedUrl(this.options.s3(), command, { expiresIn: options.expiresInSeconds });
    return { url, expiresAt: new Date(Date.now() + options.expiresInSeconds * 1000) };
  }
}
