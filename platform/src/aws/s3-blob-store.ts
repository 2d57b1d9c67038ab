import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { pipeline as pipe, Readable, Transform, type TransformCallback } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
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
import { checkKey } from "../shared/blob-keys.js";
import {
  checkPartList,
  DEFAULT_MULTIPART_THRESHOLD_BYTES,
  DEFAULT_PART_SIZE_BYTES,
  planParts,
} from "../shared/multipart.js";
import { contentDisposition } from "../shared/content-disposition.js";

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
  /** Upload targets above this size are multipart (a single PUT is capped at 5 GB). @default 256 MiB */
  readonly multipartThresholdBytes?: number;
  /** Part size of multipart upload targets; at least 5 MiB, S3's minimum for all parts but the last. @default 64 MiB */
  readonly uploadPartSizeBytes?: number;
}

const MIN_PART_BYTES = 5 * 1024 * 1024;
/**
 * S3 does not know how many parts an upload was planned with, nor does it refuse a completion that
 * leaves parts out: the plan is kept beside the upload, under a prefix no blob key can use (keys
 * never start with a dot), and removed by complete or abort.
 */
const planKey = (uploadId: string): string => `.uploads/${encodeURIComponent(uploadId)}.json`;
interface UploadPlan {
  readonly key: string;
  readonly contentType: string;
  readonly partSizes: number[];
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
  private readonly multipartThreshold: number;
  private readonly uploadPartSize: number;

  constructor(private readonly options: S3BlobStoreOptions) {
    this.partSize = Math.max(5 * 1024 * 1024, options.partSize ?? 8 * 1024 * 1024);
    this.queueSize = Math.max(1, options.queueSize ?? 2);
    this.multipartThreshold = options.multipartThresholdBytes ?? DEFAULT_MULTIPART_THRESHOLD_BYTES;
    this.uploadPartSize = Math.max(MIN_PART_BYTES, options.uploadPartSizeBytes ?? DEFAULT_PART_SIZE_BYTES);
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
        await this.options.s3().send(
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

  async get(key: string, options: { readonly range?: ByteRange } = {}): Promise<Readable> {
    checkKey(key);
    const { range } = options;
    try {
      const res = await this.options.s3().send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
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
   * Above the multipart threshold: a multipart upload (typed at creation) with one presigned
   * UploadPart URL per part, each signing its part's Content-Length.
   *
   * Single-use: a presigned URL cannot be revoked, so the single PUT signs `If-None-Match: *` (S3
   * conditional writes): S3 refuses (412 PreconditionFailed) a PUT once the key holds an object, and
   * a PUT leaving the header out fails the signature (403). The header is in `headers`, which clients
   * send. (s3rver, the test server, ignores the condition; the tests prove the header is signed and
   * required, and emulate S3's refusal.) A part's URL is spent once the upload is completed or
   * aborted: S3 forgets the upload id (404 NoSuchUpload) and the completed object never changes.
   */
  async createUploadTarget(key: string, options: UploadTargetOptions): Promise<UploadTarget> {
    checkKey(key);
    const expiresAt = new Date(Date.now() + options.expiresInSeconds * 1000);
    if (options.sizeBytes <= this.multipartThreshold) {
      const command = new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ContentType: options.contentType,
        ContentLength: options.sizeBytes,
        IfNoneMatch: "*",
      });
      const url = await getSignedUrl(this.options.s3(), command, {
        expiresIn: options.expiresInSeconds,
        signableHeaders: new Set(["content-type", "content-length", "if-none-match"]),
      });
      return {
        url,
        method: "PUT",
        headers: [
          { name: "Content-Type", value: options.contentType },
          { name: "If-None-Match", value: "*" },
        ],
        expiresAt,
      };
    }

    const partSizes = planParts(
      options.sizeBytes,
      Math.max(MIN_PART_BYTES, options.partSizeBytes ?? this.uploadPartSize),
    );
    const s3 = this.options.s3();
    const created = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: options.contentType }),
    );
    const uploadId = created.UploadId;
    if (uploadId === undefined) throw new Error("S3 answered CreateMultipartUpload without an UploadId");
    await s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: planKey(uploadId),
        Body: JSON.stringify({ key, contentType: options.contentType, partSizes } satisfies UploadPlan),
        ContentType: "application/json",
      }),
    );
    const parts = await Promise.all(
      partSizes.map(async (sizeBytes, i) => ({
        partNumber: i + 1,
        sizeBytes,
        url: await getSignedUrl(
          s3,
          new UploadPartCommand({
            Bucket: this.bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber: i + 1,
            ContentLength: sizeBytes,
          }),
          { expiresIn: options.expiresInSeconds, signableHeaders: new Set(["content-length"]) },
        ),
      })),
    );
    // Parts carry no type (the upload has it): a Content-Type header is not signed, so none is asked for.
    return { url: parts[0]!.url, method: "PUT", headers: [], expiresAt, multipart: { uploadId, parts } };
  }

  private async readPlan(key: string, uploadId: string): Promise<UploadPlan> {
    let text: string;
    try {
      const res = await this.options.s3().send(new GetObjectCommand({ Bucket: this.bucket, Key: planKey(uploadId) }));
      text = (await res.Body?.transformToString("utf8")) ?? "";
    } catch (e) {
      if (isMissing(e)) throw new DomainError("UPLOAD_MISSING", "no such multipart upload", ["uploadId"]);
      throw e;
    }
    const plan = JSON.parse(text) as UploadPlan;
    if (plan.key !== key) throw new DomainError("UPLOAD_MISSING", `no such multipart upload for ${key}`, ["uploadId"]);
    return plan;
  }

  async completeUpload(key: string, upload: CompletedUpload): Promise<BlobInfo> {
    checkKey(key);
    const plan = await this.readPlan(key, upload.uploadId);
    checkPartList(upload.parts, plan.partSizes.length);
    try {
      await this.options.s3().send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: upload.uploadId,
          MultipartUpload: { Parts: upload.parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      );
    } catch (e) {
      const name = (e as { name?: string } | null)?.name;
      if (name === "NoSuchUpload" || name === "InvalidPart")
        throw new DomainError("UPLOAD_MISSING", "a part was never uploaded, or its ETag does not match", ["parts"]);
      if (name === "InvalidPartOrder") throw new DomainError("VALIDATION", "parts are out of order", ["parts"]);
      if (name === "EntityTooSmall") throw new DomainError("SIZE_MISMATCH", "a part is too small", ["parts"]);
      throw e;
    }
    await this.options.s3().send(new DeleteObjectCommand({ Bucket: this.bucket, Key: planKey(upload.uploadId) }));
    return { sizeBytes: plan.partSizes.reduce((a, b) => a + b, 0), contentType: plan.contentType };
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    checkKey(key);
    try {
      await this.readPlan(key, uploadId);
    } catch (e) {
      if (isDomainError(e, "UPLOAD_MISSING")) return;
      throw e;
    }
    // The plan goes first: from then on completeUpload refuses, whatever S3 still holds.
    await this.options.s3().send(new DeleteObjectCommand({ Bucket: this.bucket, Key: planKey(uploadId) }));
    try {
      await this.options
        .s3()
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
    } catch (e) {
      if (!(isMissing(e) || (e as { name?: string } | null)?.name === "NoSuchUpload")) throw e;
    }
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
