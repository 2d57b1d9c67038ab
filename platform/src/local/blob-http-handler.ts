import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DomainError, isDomainError, type ErrorCode } from "@vp/domain";
import { contentDisposition } from "../shared/content-disposition.js";
import { checkKey } from "../shared/blob-keys.js";
import { alreadyUploaded, downloadFields, uploadFields, type LocalDiskBlobStore } from "./local-disk-blob-store.js";
import { verify } from "./url-signer.js";
import { parseByteRange } from "../shared/byte-range.js";

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  SIZE_MISMATCH: 400,
  INVALID_SIGNATURE: 403,
  URL_EXPIRED: 403,
  NOT_FOUND: 404,
  UPLOAD_MISSING: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
};

/** 16 KiB/s (128 kbit/s): far below any usable uplink, far above a slowloris trickle. */
export const DEFAULT_UPLOAD_MIN_BYTES_PER_SECOND = 16 * 1024;
/** Long enough to ride out a Wi-Fi handover or TCP retransmission backoff; short enough that a trickle frees its socket soon. */
export const DEFAULT_UPLOAD_RATE_WINDOW_SECONDS = 30;

export interface BlobHttpHandlerOptions {
  /**
   * An upload (single PUT or part) whose body arrives slower than this, averaged over the last
   * `rateWindowSeconds`, is cut off with 408 and stores nothing. 0 turns the check off.
   * @default DEFAULT_UPLOAD_MIN_BYTES_PER_SECOND
   */
  readonly minBytesPerSecond?: number;
  /** @default DEFAULT_UPLOAD_RATE_WINDOW_SECONDS */
  readonly rateWindowSeconds?: number;
}

/** The body came in slower than the floor: the request is answered 408 and its socket closed. */
class UploadTooSlow extends Error {
  override readonly name = "UploadTooSlow";
}

/**
 * Fails `stream` with UploadTooSlow once fewer than `min * window` bytes went through it during the
 * last `window` seconds (sampled every second, from the first byte the handler could read). Answers
 * a function counting bytes and one stopping the watch.
 */
function watchRate(
  stream: Transform,
  min: number,
  windowSeconds: number,
): { count: (n: number) => void; stop: () => void } {
  let received = 0;
  if (min <= 0 || windowSeconds <= 0) return { count: () => undefined, stop: () => undefined };
  /** Bytes received at each whole second since the start: samples[i] = total after i seconds. */
  const samples: number[] = [0];
  const timer = setInterval(() => {
    samples.push(received);
    if (samples.length > windowSeconds + 1) samples.shift();
    if (samples.length === windowSeconds + 1) {
      const inWindow = received - samples[0]!;
      if (inWindow < min * windowSeconds)
        stream.destroy(
          new UploadTooSlow(
            `the upload was cut off: ${inWindow} bytes arrived in the last ${windowSeconds} s, under the minimum of ${min} bytes/s; nothing was stored`,
          ),
        );
    }
  }, 1000);
  timer.unref();
  return { count: (n) => void (received += n), stop: () => clearInterval(timer) };
}

function sendError(
  res: ServerResponse,
  status: number,
  code: ErrorCode | "METHOD_NOT_ALLOWED" | "RANGE_NOT_SATISFIABLE" | "REQUEST_TIMEOUT",
  message: string,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  res.end(body);
}

/** `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266 / 5987). */

/**
 * Serves the signed URLs of local blob stores: `PUT /blobs/<bucket>/<key>` (upload targets, and the
 * parts of multipart ones, which add `uploadId` and `part` to the signed query) and
 * `GET|HEAD /blobs/<bucket>/<key>` (download URLs). Resolves false when the path is not under
 * `/blobs/`, so it can sit in front of other handlers.
 */
export function createBlobHttpHandler(
  stores: ReadonlyArray<LocalDiskBlobStore>,
  options: BlobHttpHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const minRate = options.minBytesPerSecond ?? DEFAULT_UPLOAD_MIN_BYTES_PER_SECOND;
  const rateWindow = options.rateWindowSeconds ?? DEFAULT_UPLOAD_RATE_WINDOW_SECONDS;
  const byBucket = new Map(stores.map((s) => [s.bucket, s]));
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith("/blobs/")) return false;
    try {
      const [bucket, ...rawSegments] = url.pathname.slice("/blobs/".length).split("/");
      const store = bucket === undefined ? undefined : byBucket.get(bucket);
      if (store === undefined) throw new DomainError("NOT_FOUND", "no such bucket");
      let key: string;
      try {
        key = rawSegments.map((s) => decodeURIComponent(s)).join("/");
      } catch {
        throw new DomainError("VALIDATION", "malformed path");
      }
      checkKey(key);
      const q = url.searchParams;
      const expires = Number(q.get("expires"));
      const sig = q.get("sig") ?? "";
      if (!Number.isSafeInteger(expires)) throw new DomainError("INVALID_SIGNATURE", "the URL is not signed");

      if (req.method === "PUT") {
        const sizeBytes = Number(q.get("size"));
        const contentType = q.get("ct") ?? "";
        // A part of a multipart upload: its upload id and number are signed too.
        const uploadId = q.get("uploadId");
        const partNumber = Number(q.get("part"));
        const part = uploadId === null ? undefined : { uploadId, partNumber };
        if (
          !Number.isSafeInteger(sizeBytes) ||
          (part !== undefined && !Number.isSafeInteger(partNumber)) ||
          !verify(
            store.secret,
            uploadFields(store.bucket, key, {
              expires,
              sizeBytes,
              contentType,
              ...(part !== undefined ? { part } : {}),
            }),
            sig,
          )
        )
          throw new DomainError("INVALID_SIGNATURE", "the signature does not match this URL");
        checkNotExpired(store, expires);
        const sentType = req.headers["content-type"];
        if (sentType !== undefined && sentType.trim().toLowerCase() !== contentType.trim().toLowerCase())
          throw new DomainError("INVALID_SIGNATURE", `Content-Type must be ${contentType}, as signed`);
        const declared = req.headers["content-length"];
        if (declared !== undefined) {
          const n = Number(declared);
          if (n > sizeBytes)
            throw new DomainError(
              "PAYLOAD_TOO_LARGE",
              `this upload accepts exactly ${sizeBytes} bytes, ${n} were announced`,
            );
          if (n !== sizeBytes)
            throw new DomainError(
              "SIZE_MISMATCH",
              `this upload accepts exactly ${sizeBytes} bytes, ${n} were announced`,
            );
        }
        // Single-use: once the blob is in place this target is spent. Refused before any byte is read;
        // the store checks again, atomically, when it puts the new blob in place (ifAbsent).
        // (A part's URL is spent once its upload is completed: the upload's folder is gone.)
        if (part === undefined && (await store.head(key)) !== null) throw alreadyUploaded(key);
        const md5 = createHash("md5");
        const hashing = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            rate.count(chunk.length);
            md5.update(chunk);
            cb(null, chunk);
          },
        });
        const rate = watchRate(hashing, minRate, rateWindow);
        // A client that disconnects mid-body fails the put, which then deletes its temp file. Not pipeline():
        // it would destroy req (and the socket) when put() refuses the body, and the refusal could not be sent.
        const onClose = () => {
          if (!req.complete)
            hashing.destroy(new DomainError("SIZE_MISMATCH", "the client disconnected before the upload completed"));
        };
        req.once("close", onClose);
        req.once("error", onClose);
        req.pipe(hashing);
        let info;
        let etag: string;
        try {
          if (part !== undefined) {
            info = await store.putPart(key, part, hashing);
            etag = info.etag;
          } else {
            info = await store.put(key, hashing, {
              contentType,
              maxBytes: sizeBytes,
              expectedBytes: sizeBytes,
              ifAbsent: true,
            });
            etag = `"${md5.digest("hex")}"`;
          }
        } finally {
          rate.stop();
          req.unpipe(hashing);
          req.off("close", onClose);
        }
        const body = JSON.stringify({ key, sizeBytes: info.sizeBytes, etag });
        res.writeHead(200, {
          ETag: etag,
          "Content-Type": "application/json; charset=utf-8",
          "Content-Length": Buffer.byteLength(body),
        });
        res.end(body);
        return true;
      }

      if (req.method === "GET" || req.method === "HEAD") {
        const filename = q.get("filename") ?? "";
        const signedType = q.get("ct");
        if (
          !verify(
            store.secret,
            downloadFields(store.bucket, key, {
              expires,
              filename,
              contentType: signedType,
            }),
            sig,
          )
        )
          throw new DomainError("INVALID_SIGNATURE", "the signature does not match this URL");
        checkNotExpired(store, expires);
        const head = await store.head(key);
        if (head === null) throw new DomainError("NOT_FOUND", "the file is gone");
        const range = parseByteRange(req.headers.range, head.sizeBytes);
        if (range === "unsatisfiable") {
          res.setHeader("Content-Range", `bytes */${head.sizeBytes}`);
          sendError(res, 416, "RANGE_NOT_SATISFIABLE", "the requested range is outside the file");
          return true;
        }
        const { stream, info } = await store.openForRead(key, range ?? undefined);
        const headers: Record<string, string | number> = {
          "Content-Type": signedType ?? info.contentType ?? "application/octet-stream",
          "Content-Disposition": contentDisposition(filename || key.split("/").pop()!),
          "Accept-Ranges": "bytes",
          "Cache-Control": "private, no-store",
        };
        if (range === null) {
          headers["Content-Length"] = info.sizeBytes;
          res.writeHead(200, headers);
        } else {
          headers["Content-Length"] = range.end - range.start + 1;
          headers["Content-Range"] = `bytes ${range.start}-${range.end}/${info.sizeBytes}`;
          res.writeHead(206, headers);
        }
        if (req.method === "HEAD") {
          stream.destroy();
          res.end();
          return true;
        }
        await pipeline(stream, res).catch(() => undefined);
        return true;
      }

      res.setHeader("Allow", "GET, HEAD, PUT");
      sendError(res, 405, "METHOD_NOT_ALLOWED", `${req.method ?? "?"} is not supported here`);
      return true;
    } catch (e) {
      if (req.method === "PUT" && !req.complete) {
        // Answer now, without reading a body we refuse, and close the connection after the reply.
        res.setHeader("Connection", "close");
        req.resume();
      }
      if (e instanceof UploadTooSlow) {
        // A trickling client is not waited for: once the answer is out, the socket goes.
        res.once("finish", () => setTimeout(() => req.socket.destroy(), 500).unref());
        sendError(res, 408, "REQUEST_TIMEOUT", e.message);
      } else if (isDomainError(e)) sendError(res, STATUS[e.code] ?? 500, e.code, e.message);
      else sendError(res, 500, "INTERNAL", "internal error");
      return true;
    }
  };
}

function checkNotExpired(store: LocalDiskBlobStore, expires: number): void {
  if (Math.floor(store.clock() / 1000) > expires) throw new DomainError("URL_EXPIRED", "the URL has expired");
}
