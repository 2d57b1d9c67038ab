import { pipeline } from "node:stream/promises";
import { isDomainError } from "@vp/domain";
import { contentDisposition, parseByteRange, type JobRepository, type VideoRepository } from "@vp/platform";
import type { NextFunction, Request, Response } from "express";
import type { FrameArchive } from "./frame-archive.js";

export interface FrameRouteDeps {
  readonly frames: FrameArchive;
  readonly jobs: Pick<JobRepository, "findForOwner">;
  readonly videos: Pick<VideoRepository, "findForOwner">;
}

const fail = (res: Response, status: number, code: string, message: string): void => {
  res.status(status).setHeader("Cache-Control", "no-store").json({ error: { code, message } });
};

/**
 * GET and HEAD /frames/<token>: one frame, streamed out of the stored archive by byte range. The
 * token is signed and short-lived; the job must still be the owner's, SUCCEEDED, and its video
 * not deleted, as for the archive. Answers 403 for a bad or expired token, 404 once the frame is
 * gone, 416 for a range outside it, 304 for a matching If-None-Match.
 */
export function frameRoute(deps: FrameRouteDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const token = req.params.token;
      const check = deps.frames.check(typeof token === "string" ? token : "");
      if (!check.ok)
        return check.code === "URL_EXPIRED"
          ? fail(res, 403, "URL_EXPIRED", "This frame link has expired: ask the API for a new one.")
          : fail(res, 403, "INVALID_SIGNATURE", "This frame link is not valid.");
      const { ownerId, jobId, index, expires } = check.claims;
      const gone = () => fail(res, 404, "NOT_FOUND", "This frame is no longer available.");
      const job = await deps.jobs.findForOwner(ownerId, jobId);
      if (job === null || job.status !== "SUCCEEDED" || job.result === null) return gone();
      if ((await deps.videos.findForOwner(ownerId, job.videoId)) === null) return gone();
      const frameIndex = await deps.frames.index(job.result);
      const frame = frameIndex.frames[index - 1];
      if (frame === undefined) return gone();

      const size = frame.sizeBytes;
      const etag = `"${frame.crc32.toString(16).padStart(8, "0")}-${size.toString(16)}"`;
      const maxAge = Math.max(0, expires - Math.floor(Date.now() / 1000));
      res.setHeader("Content-Type", frame.contentType);
      res.setHeader("ETag", etag);
      // The URL is a bearer credential for one owner: shared caches must not keep the answer.
      res.setHeader("Cache-Control", `private, max-age=${maxAge}`);
      res.setHeader("Accept-Ranges", "bytes");
      // Shown in place (an <img>, a browser tab); saved under its name in the archive.
      res.setHeader("Content-Disposition", contentDisposition(frame.file).replace(/^attachment/, "inline"));
      res.setHeader("X-Content-Type-Options", "nosniff");
      if (matches(req.headers["if-none-match"], etag)) {
        res.status(304).end();
        return;
      }
      const ifRange = req.headers["if-range"];
      const range = rangeOf(req.headers.range, size, typeof ifRange === "string" ? ifRange : undefined, etag);
      if (range === "unsatisfiable") {
        res.setHeader("Content-Range", `bytes */${size}`);
        return fail(res, 416, "RANGE_NOT_SATISFIABLE", "The requested range is outside the frame.");
      }
      if (range !== null) {
        res.status(206);
        res.setHeader("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
      }
      res.setHeader("Content-Length", range === null ? size : range.end - range.start + 1);
      if (req.method === "HEAD" || size === 0) {
        res.end();
        return;
      }
      const body = await deps.frames.open(frameIndex.archiveKey, frame, range ?? undefined);
      await pipeline(body, res);
    } catch (err) {
      if (isDomainError(err, "NOT_FOUND") && !res.headersSent)
        return fail(res, 404, "NOT_FOUND", "This frame is no longer available.");
      next(err);
    }
  };
}

function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.trim() === "*" || header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

/** A stale If-Range (the frame changed since the client cached part of it) gets the whole frame. */
function rangeOf(header: string | undefined, size: number, ifRange: string | undefined, etag: string) {
  if (ifRange !== undefined && ifRange.trim() !== etag) return null;
  return parseByteRange(header, size);
}
