import type { Readable } from "node:stream";

export interface UploadTarget {
  /** Where the client sends the bytes, directly (never through GraphQL). */
  readonly url: string;
  readonly method: "PUT" | "POST";
  /** Headers the client must send with the request (signed ones included). */
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly expiresAt: Date;
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
  /** Throws DomainError NOT_FOUND when absent. */
  get(key: string): Promise<Readable>;
  head(key: string): Promise<BlobInfo | null>;
  /** Idempotent. */
  delete(key: string): Promise<void>;
  openAsFile(key: string): Promise<LocalFile>;
  /** A target that accepts exactly `sizeBytes` bytes for `key` until it expires. */
  createUploadTarget(
    key: string,
    options: { readonly contentType: string; readonly sizeBytes: number; readonly expiresInSeconds: number },
  ): Promise<UploadTarget>;
  /** A short-lived URL that downloads `key` as `filename`. */
  createDownloadUrl(
    key: string,
    options: { readonly filename: string; readonly expiresInSeconds: number; readonly contentType?: string },
  ): Promise<SignedUrl>;
}
