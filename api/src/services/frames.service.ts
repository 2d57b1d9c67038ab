import type { Job, JobResult } from "@vp/domain";
import type { FrameArchive } from "../frames/frame-archive.js";
import type { ServiceDeps } from "./deps.js";

export interface FrameView {
  readonly index: number;
  readonly timestampSeconds: number;
  readonly width: number;
  readonly height: number;
  readonly sizeBytes: number;
  readonly contentType: string;
  readonly url: string;
  readonly urlExpiresAt: Date;
}

export interface FramePage {
  readonly frames: readonly FrameView[];
  readonly hasNextPage: boolean;
}

/**
 * Frames `after` (an index, 0 for the start) of a finished job, each with its own signed URL. The
 * caller has already found `job` among the owner's (the URL is signed for that owner).
 */
export async function listFrames(
  deps: Pick<ServiceDeps, "frames">,
  job: Pick<Job, "id" | "ownerId">,
  result: Pick<JobResult, "archiveKey" | "archiveSizeBytes">,
  page: { readonly first: number; readonly afterIndex: number },
): Promise<FramePage> {
  const frames: FrameArchive = deps.frames;
  const index = await frames.index(result);
  const slice = index.frames.slice(page.afterIndex, page.afterIndex + page.first);
  return {
    frames: slice.map((f) => {
      const signed = frames.urlFor(job, f);
      return {
        index: f.index,
        timestampSeconds: f.timestampSeconds,
        width: index.width,
        height: index.height,
        sizeBytes: f.sizeBytes,
        contentType: f.contentType,
        url: signed.url,
        urlExpiresAt: signed.expiresAt,
      };
    }),
    hasNextPage: page.afterIndex + slice.length < index.frames.length,
  };
}
