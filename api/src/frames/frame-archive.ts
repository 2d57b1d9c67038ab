import type { Readable } from "node:stream";
import type { Job, JobResult } from "@vp/domain";
import type { BlobStore, ByteRange, SignedUrl } from "@vp/platform";
import { FrameIndexCache, loadFrameIndex, rangeReader, type FrameEntry, type FrameIndex } from "./frame-index.js";
import { signFrameToken, verifyFrameToken, type FrameTokenCheck } from "./frame-token.js";
import { readDataOffset, type RangeReader } from "./zip-directory.js";

export interface FrameArchiveOptions {
  /** The archives bucket: frames are served out of the stored ZIP, never from a second copy. */
  readonly archives: BlobStore;
  /** HMAC key of frame URLs; every API process that serves them must share it. */
  readonly secret: Uint8Array;
  /** Origin the URLs point at (VP_PUBLIC_URL, or this server's own URL). */
  readonly baseUrl: () => string;
  /** @default 900 (as archive downloads) */
  readonly urlTtlSeconds?: number;
  /** @default 200_000 */
  readonly cacheMaxFrames?: number;
  /** @default Date.now */
  readonly clock?: () => number;
}

/**
 * Expiry is rounded up to this step, so one frame's URL stays the same for a while and a browser
 * showing a page of frames hits its cache instead of fetching again on every re-query.
 */
const EXPIRY_STEP_SECONDS = 300;

/** A job's frames inside its stored archive: listing them, minting their URLs, reading one by range. */
export class FrameArchive {
  private readonly cache: FrameIndexCache;
  readonly urlTtlSeconds: number;
  private readonly clock: () => number;

  constructor(private readonly options: FrameArchiveOptions) {
    this.cache = new FrameIndexCache((result) => loadFrameIndex(options.archives, result), options.cacheMaxFrames);
    this.urlTtlSeconds = options.urlTtlSeconds ?? 900;
    this.clock = options.clock ?? Date.now;
  }

  index(result: Pick<JobResult, "archiveKey" | "archiveSizeBytes">): Promise<FrameIndex> {
    return this.cache.get(result);
  }

  urlFor(job: Pick<Job, "ownerId" | "id">, frame: Pick<FrameEntry, "index">): SignedUrl {
    const earliest = Math.floor(this.clock() / 1000) + this.urlTtlSeconds;
    const expires = Math.ceil(earliest / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
    const token = signFrameToken(this.options.secret, {
      ownerId: job.ownerId,
      jobId: job.id,
      index: frame.index,
      expires,
    });
    return { url: `${this.options.baseUrl()}/frames/${token}`, expiresAt: new Date(expires * 1000) };
  }

  check(token: string): FrameTokenCheck {
    return verifyFrameToken(this.options.secret, token, Math.floor(this.clock() / 1000));
  }

  /** Exactly the frame's bytes (or `range` of them, offsets within the frame): one ranged read of the archive. */
  async open(archiveKey: string, frame: FrameEntry, range?: ByteRange): Promise<Readable> {
    const read: RangeReader = rangeReader(this.options.archives, archiveKey);
    const start = await readDataOffset(read, frame.entry);
    const from = range?.start ?? 0;
    const to = range?.end ?? frame.sizeBytes - 1;
    return this.options.archives.get(archiveKey, { range: { start: start + from, end: start + to } });
  }
}
