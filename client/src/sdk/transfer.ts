import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
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
  const source = createReadStream(file);
  source.on("data", (chunk) => {
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
