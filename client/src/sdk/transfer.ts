import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { httpErrorFrom, NetworkError } from "./errors.js";

export type ByteProgress = (bytesSent: number, total: number) => void;

export interface UploadTargetLike {
  readonly url: string;
  readonly method: string;
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

const transport = (url: URL) => (url.protocol === "https:" ? https : url.protocol === "http:" ? http : null);

const readAll = (res: http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    res.on("error", reject);
  });

const networkError = (url: URL, err: unknown): NetworkError => {
  const e = err as { code?: string; message?: string };
  return new NetworkError(`transfer to ${url.origin} failed (${e.code ?? e.message ?? String(err)})`, { cause: err });
};

/**
 * Streams a file to a signed URL with its exact size, reporting bytes as they leave: the file is
 * never held in memory. Rejects with HttpError when the target refuses, NetworkError when it drops.
 */
export async function putFile(
  target: UploadTargetLike,
  file: string,
  sizeBytes: number,
  options: { readonly onProgress?: ByteProgress; readonly signal?: AbortSignal } = {},
): Promise<void> {
  await putFileRange(target, file, { start: 0, sizeBytes }, options);
}

/**
 * Streams `sizeBytes` bytes of a file from `start` (one part of a multipart upload, or the whole
 * file) and answers the ETag header of the reply (null when there is none).
 */
export async function putFileRange(
  target: UploadTargetLike,
  file: string,
  range: { readonly start: number; readonly sizeBytes: number },
  options: { readonly onProgress?: ByteProgress; readonly signal?: AbortSignal } = {},
): Promise<{ etag: string | null }> {
  const { sizeBytes } = range;
  const url = new URL(target.url);
  const lib = transport(url);
  if (!lib) throw new NetworkError(`unsupported upload URL scheme ${url.protocol}`);
  const headers: Record<string, string> = Object.fromEntries(target.headers.map((h) => [h.name, h.value]));
  headers["content-length"] = String(sizeBytes);
  const req = lib.request(url, {
    method: target.method,
    headers,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.once("response", resolve);
    req.once("error", reject);
  });
  let sent = 0;
  options.onProgress?.(0, sizeBytes);
  // createReadStream's `end` is inclusive, so an empty range cannot be expressed with it.
  const source =
    sizeBytes === 0
      ? Readable.from([])
      : createReadStream(file, { start: range.start, end: range.start + sizeBytes - 1 });
  source.on("data", (chunk: Buffer) => {
    sent += chunk.length;
    options.onProgress?.(sent, sizeBytes);
  });
  // The server may answer (and close) early, e.g. 413 before all bytes are sent: the answer wins.
  const sending = pipeline(source, req).catch((err: unknown) => err);
  let res: http.IncomingMessage;
  try {
    res = await response;
  } catch (err) {
    source.destroy();
    throw networkError(url, err);
  }
  const body = await readAll(res).catch(() => "");
  const sendError = await sending;
  if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode >= 300) {
    throw httpErrorFrom(res.statusCode ?? 0, res.statusMessage ?? "", body);
  }
  if (sendError) throw networkError(url, sendError);
  const etag = res.headers.etag;
  return { etag: typeof etag === "string" ? etag : null };
}

export interface FilePart {
  readonly partNumber: number;
  readonly url: string;
  readonly sizeBytes: number;
}

/**
 * Sends a file as the parts of a multipart upload, in file order, `concurrency` at a time, with
 * byte progress summed over all parts. Answers every part's ETag; a part answered without one fails.
 */
export async function putFileParts(
  target: {
    readonly method: string;
    readonly headers: UploadTargetLike["headers"];
    readonly parts: readonly FilePart[];
  },
  file: string,
  options: { readonly onProgress?: ByteProgress; readonly signal?: AbortSignal; readonly concurrency?: number } = {},
): Promise<Array<{ partNumber: number; etag: string }>> {
  const total = target.parts.reduce((n, p) => n + p.sizeBytes, 0);
  const starts: number[] = [];
  target.parts.reduce((offset, p) => (starts.push(offset), offset + p.sizeBytes), 0);
  const sentByPart = new Map<number, number>();
  let sentTotal = 0;
  options.onProgress?.(0, total);
  const etags = new Array<{ partNumber: number; etag: string }>(target.parts.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < target.parts.length) {
      const i = next++;
      const part = target.parts[i]!;
      const { etag } = await putFileRange(
        { url: part.url, method: target.method, headers: target.headers },
        file,
        { start: starts[i]!, sizeBytes: part.sizeBytes },
        {
          ...(options.signal ? { signal: options.signal } : {}),
          onProgress: (sent) => {
            // A retried or restarted part must not count twice: track each part's own bytes.
            sentTotal += sent - (sentByPart.get(i) ?? 0);
            sentByPart.set(i, sent);
            options.onProgress?.(sentTotal, total);
          },
        },
      );
      if (etag === null) throw new NetworkError(`part ${part.partNumber} was accepted without an ETag`);
      etags[i] = { partNumber: part.partNumber, etag };
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 2, target.parts.length)) }, worker);
  await Promise.all(workers);
  return etags;
}

/** Streams a URL to a file (written beside it first, then renamed), with byte progress. */
export async function downloadToFile(
  from: string,
  to: string,
  options: { readonly onProgress?: ByteProgress; readonly signal?: AbortSignal } = {},
): Promise<{ bytes: number }> {
  const url = new URL(from);
  const lib = transport(url);
  if (!lib) throw new NetworkError(`unsupported download URL scheme ${url.protocol}`);
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = lib.get(url, options.signal ? { signal: options.signal } : {}, resolve);
    req.once("error", (err) => reject(networkError(url, err)));
  });
  if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode >= 300) {
    throw httpErrorFrom(res.statusCode ?? 0, res.statusMessage ?? "", await readAll(res).catch(() => ""));
  }
  const total = Number(res.headers["content-length"] ?? 0);
  let received = 0;
  res.on("data", (chunk: Buffer) => {
    received += chunk.length;
    options.onProgress?.(received, total || received);
  });
  const partial = `${to}.${process.pid}.partial`;
  try {
    await pipeline(res, createWriteStream(partial));
    await rename(partial, to);
  } catch (err) {
    await rm(partial, { force: true });
    // A dropped response is the network's fault; a failed write (disk full, no permission) is local.
    throw res.errored || res.readableAborted ? networkError(url, err) : err;
  }
  return { bytes: received };
}
