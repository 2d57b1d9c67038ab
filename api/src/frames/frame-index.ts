import type { Readable } from "node:stream";
import type { JobResult } from "@vp/domain";
import type { BlobStore } from "@vp/platform";
import { z } from "zod";
import { imageSize } from "./image-size.js";
import {
  checkLocalHeader,
  readDataOffset,
  readZipDirectory,
  ZipFormatError,
  type RangeReader,
  type ZipEntry,
} from "./zip-directory.js";

export interface FrameEntry {
  /** 1-based, as in the manifest and the file names. */
  readonly index: number;
  readonly file: string;
  readonly timestampSeconds: number;
  readonly sizeBytes: number;
  readonly contentType: string;
  readonly crc32: number;
  readonly entry: ZipEntry;
}

/** What serving and listing a job's frames needs, parsed once from its archive. */
export interface FrameIndex {
  readonly archiveKey: string;
  /** In index order. */
  readonly frames: readonly FrameEntry[];
  /** Every frame of a job has the size of its first (the engine scales all to one size). */
  readonly width: number;
  readonly height: number;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = { jpg: "image/jpeg", png: "image/png", webp: "image/webp" };
/** Room for the image header (JPEG tables come before its size); one read with the local header. */
const IMAGE_HEAD_BYTES = 64 * 1024;
/** About 100 bytes per directory record and 150 per manifest line: 100 000 frames fit well under these. */
const MAX_DIRECTORY_BYTES = 32 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

const manifestSchema = z.object({
  frames: z.array(z.object({ file: z.string().min(1), index: z.number().int().min(1), timestampSeconds: z.number() })),
});

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const rangeReader =
  (blobs: BlobStore, key: string): RangeReader =>
  async (start, end) =>
    readAll(await blobs.get(key, { range: { start, end } }));

/**
 * Three ranged reads (more only for entries written with a data descriptor, which the engine never
 * writes): the tail (end records and, for a few hundred frames, the directory), the
 * manifest entry (each frame's true timestamp), and the first frame's local header with its image
 * header (checks the layout the offsets were derived from, and gives the frames' size).
 */
export async function loadFrameIndex(
  blobs: BlobStore,
  result: Pick<JobResult, "archiveKey" | "archiveSizeBytes">,
): Promise<FrameIndex> {
  const read = rangeReader(blobs, result.archiveKey);
  const entries = await readZipDirectory(read, result.archiveSizeBytes, { maxDirectoryBytes: MAX_DIRECTORY_BYTES });
  const byName = new Map(entries.map((e) => [e.name, e]));
  const manifestEntry = byName.get("manifest.json");
  if (manifestEntry === undefined) throw new ZipFormatError("the archive has no manifest.json");
  const stored = (e: ZipEntry): ZipEntry => {
    if (e.method !== 0 || e.compressedSize !== e.size) throw new ZipFormatError(`${e.name} is not a stored entry`);
    return e;
  };
  const m = stored(manifestEntry);
  if (m.size > MAX_MANIFEST_BYTES) throw new ZipFormatError("manifest.json is too large");
  const manifestStart = await readDataOffset(read, m);
  const manifest = manifestSchema.parse(
    JSON.parse(
      (m.size === 0 ? Buffer.alloc(0) : await read(manifestStart, manifestStart + m.size - 1)).toString("utf8"),
    ),
  );
  const frames = manifest.frames.map((f, i): FrameEntry => {
    const entry = byName.get(f.file);
    if (entry === undefined) throw new ZipFormatError(`the manifest lists ${f.file}, the archive does not hold it`);
    if (f.index !== i + 1) throw new ZipFormatError(`the manifest's frame ${i + 1} has index ${f.index}`);
    const contentType = CONTENT_TYPES[f.file.slice(f.file.lastIndexOf(".") + 1).toLowerCase()];
    if (contentType === undefined) throw new ZipFormatError(`${f.file} is not a JPEG, PNG or WebP file`);
    stored(entry);
    return {
      index: f.index,
      file: f.file,
      timestampSeconds: f.timestampSeconds,
      sizeBytes: entry.size,
      contentType,
      crc32: entry.crc32,
      entry,
    };
  });
  const first = frames[0];
  if (first === undefined) return { archiveKey: result.archiveKey, frames, width: 0, height: 0 };
  const e = first.entry;
  const firstStart = await readDataOffset(read, e);
  const head = await read(e.localHeaderOffset, firstStart + Math.min(e.size, IMAGE_HEAD_BYTES) - 1);
  const dataStart = checkLocalHeader(e, head);
  const size = imageSize(head.subarray(dataStart));
  if (size === null) throw new ZipFormatError(`the size of ${first.file} cannot be read from its header`);
  return { archiveKey: result.archiveKey, frames, ...size };
}

/**
 * Parsed indexes, newest use last, bounded by the frames they hold all together (about 300 bytes
 * each). An archive never changes once written, so an entry is never stale: the key includes the
 * size, and a deleted archive fails at the blob read. Concurrent loads of one archive share a read.
 */
export class FrameIndexCache {
  private readonly entries = new Map<string, Promise<FrameIndex>>();
  private readonly sizes = new Map<string, number>();
  private held = 0;

  constructor(
    private readonly load: (result: Pick<JobResult, "archiveKey" | "archiveSizeBytes">) => Promise<FrameIndex>,
    /** @default 200_000 frames (about 60 MB) */
    private readonly maxFrames = 200_000,
  ) {}

  get(result: Pick<JobResult, "archiveKey" | "archiveSizeBytes">): Promise<FrameIndex> {
    const key = `${result.archiveSizeBytes}:${result.archiveKey}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const loading = this.load(result);
    this.entries.set(key, loading);
    loading.then(
      (index) => {
        if (this.entries.get(key) !== loading) return;
        this.sizes.set(key, index.frames.length);
        this.held += index.frames.length;
        this.evict(key);
      },
      () => {
        if (this.entries.get(key) === loading) this.entries.delete(key);
      },
    );
    return loading;
  }

  /** Drops the least recently used indexes until the bound holds (the one just loaded stays). */
  private evict(keep: string): void {
    for (const key of this.entries.keys()) {
      if (this.held <= this.maxFrames) return;
      if (key === keep) continue;
      const size = this.sizes.get(key);
      if (size === undefined) continue;
      this.entries.delete(key);
      this.sizes.delete(key);
      this.held -= size;
    }
  }

  /** For tests and metrics. */
  get size(): number {
    return this.entries.size;
  }
}
