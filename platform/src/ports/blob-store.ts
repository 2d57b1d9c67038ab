import type { Readable } from "node:stream";

export interface UploadTarget {
  /** Where the client sends the bytes, directly (never through GraphQL). */
  readonly url: string;
  readonly method: "PUT" | "POST";
  /** Headers the client must send with the request (signed ones included). */
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly expiresAt: Date;
  /**
   * Present when the size is above the adapter's multipart threshold: send each part with `method`
   * and `headers` to its own URL (exactly `sizeBytes` bytes each), keep the ETag of every answer, then
   * call completeUpload. `url` is then the first part's URL, so a client that knows only single PUTs
   * fails loudly (its whole-file body is refused as the wrong size) rather than storing a partial file.
   */
  readonly multipart?: MultipartTarget;
}

export interface MultipartTarget {
  readonly uploadId: string;
  /** In order from 1; every part but the last has the same size, the last takes the remainder. */
  readonly parts: ReadonlyArray<{ readonly partNumber: number; readonly url: string; readonly sizeBytes: number }>;
}

export interface CompletedUpload {
  readonly uploadId: string;
  /** Every part of the target, in order, with the ETag its PUT answered. */
  readonly parts: ReadonlyArray<{ readonly partNumber: number; readonly etag: string }>;
}

export interface UploadTargetOptions {
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly expiresInSeconds: number;
  /** Overrides the adapter's part size (still subject to its limits). */
  readonly partSizeBytes?: number;
}

/** Inclusive byte offsets, as in an HTTP Range header. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface SignedUrl {
  readonly url: string;
  readonly expiresAt: Date;
}

export interface BlobInfo {
  readonly sizeBytes: number;
  readonly contentType: string | null;
}

/** A blob made available as a file on this machine (ffmpeg needs random access). */
export interface LocalFile {
  readonly path: string;
  /** Removes any temporary copy; a no-op where the file is the blob itself. */
  release(): Promise<void>;
}

/**
 * One bucket of blobs. Keys are `/`-separated, with no `..` segments.
 * A blob is visible only once fully written: readers never see a partial object.
 */
export interface BlobStore {
  /**
   * Streams `body` into `key`. Refuses (PAYLOAD_TOO_LARGE) and stores nothing when the body
   * exceeds `maxBytes`, and (SIZE_MISMATCH) when `expectedBytes` is given and not met.
   */
  put(
    key: string,
    body: Readable | Uint8Array,
    options?: { readonly contentType?: string; readonly maxBytes?: number; readonly expectedBytes?: number },
  ): Promise<BlobInfo>;
  /**
   * Throws DomainError NOT_FOUND when absent. With `range`, only bytes `start..end` (inclusive, as
   * HTTP ranges; clipped to the blob's end, which must lie after `start`): a head to sniff, one
   * stored entry of an archive.
   */
  get(key: string, options?: { readonly range?: ByteRange }): Promise<Readable>;
  head(key: string): Promise<BlobInfo | null>;
  /** Idempotent. */
  delete(key: string): Promise<void>;
  openAsFile(key: string): Promise<LocalFile>;
  /**
   * A target that accepts exactly `sizeBytes` bytes for `key` until it expires: one PUT up to the
   * adapter's multipart threshold, above it one PUT per part (see UploadTarget.multipart).
   * Single-use: once `key` holds a blob (the PUT went through, or the multipart upload was
   * completed), a further PUT to the target, or to any of its parts, is refused (4xx: local 409 or
   * 404, S3 412 or 404) and the blob stays as it was. That includes a client retrying a PUT whose
   * answer it lost: its bytes are in, so it goes on to complete the upload.
   */
  createUploadTarget(key: string, options: UploadTargetOptions): Promise<UploadTarget>;
  /**
   * Assembles a multipart upload into `key` at once (nothing is visible before). Refuses with
   * VALIDATION (parts missing, extra or out of order, or an unknown ETag), UPLOAD_MISSING (unknown
   * upload or a part never sent) or SIZE_MISMATCH (a part of the wrong size).
   */
  completeUpload(key: string, upload: CompletedUpload): Promise<BlobInfo>;
  /** Drops a multipart upload's parts. Idempotent. */
  abortUpload(key: string, uploadId: string): Promise<void>;
  /** A short-lived URL that downloads `key` as `filename`. */
  createDownloadUrl(
    key: string,
    options: { readonly filename: string; readonly expiresInSeconds: number; readonly contentType?: string },
  ): Promise<SignedUrl>;
}
