/**
 * Reads a ZIP's central directory by byte ranges, never the whole archive: the end record from the
 * tail, then the directory itself (ZIP64 records when sizes, offsets or counts overflow 32 bits).
 */

/** Inclusive byte offsets, as BlobStore ranges; resolves with exactly those bytes. */
export type RangeReader = (start: number, end: number) => Promise<Buffer>;

export interface ZipEntry {
  readonly name: string;
  /** 0: stored, 8: deflated. */
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
  /**
   * Where the entry's bytes begin. Known from the directory alone when no data descriptor follows
   * the bytes (they then end where the next entry, or the directory, begins); else null, and the
   * local header tells (readDataOffset).
   */
  readonly dataOffset: number | null;
}

export class ZipFormatError extends Error {
  override readonly name = "ZipFormatError";
}

const SIG = {
  local: 0x04034b50,
  central: 0x02014b50,
  end: 0x06054b50,
  end64: 0x06064b50,
  locator64: 0x07064b50,
} as const;
const END_BYTES = 22;
const LOCATOR64_BYTES = 20;
const END64_BYTES = 56;
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_HEADER_BYTES = 46;
const MAX_COMMENT_BYTES = 0xffff;
/** One read of this many tail bytes usually brings the end records and the whole directory of a few hundred frames. */
const FIRST_TAIL_BYTES = 64 * 1024;
const FLAG_DATA_DESCRIPTOR = 0x08;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;

const u64 = (b: Buffer, at: number): number => {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError("a ZIP64 field is beyond 2^53");
  return Number(v);
};

interface EndRecord {
  readonly entries: number;
  readonly directoryBytes: number;
  readonly directoryOffset: number;
}

/** Every entry of the archive, in directory order; `maxDirectoryBytes` bounds what is read and parsed. */
export async function readZipDirectory(
  read: RangeReader,
  archiveBytes: number,
  options: { readonly maxDirectoryBytes: number },
): Promise<ZipEntry[]> {
  if (archiveBytes < END_BYTES) throw new ZipFormatError("too short to be a ZIP");
  let tailStart = Math.max(0, archiveBytes - FIRST_TAIL_BYTES);
  let tail = await read(tailStart, archiveBytes - 1);
  let at = findEndRecord(tail);
  if (at < 0 && tailStart > 0) {
    tailStart = Math.max(0, archiveBytes - (END_BYTES + MAX_COMMENT_BYTES + LOCATOR64_BYTES + END64_BYTES));
    tail = await read(tailStart, archiveBytes - 1);
    at = findEndRecord(tail);
  }
  if (at < 0) throw new ZipFormatError("no end of central directory record");
  const end = await endRecord(read, tail, tailStart, at, archiveBytes);
  if (end.directoryOffset + end.directoryBytes > archiveBytes)
    throw new ZipFormatError("the central directory lies outside the archive");
  if (end.directoryBytes > options.maxDirectoryBytes)
    throw new ZipFormatError(`the central directory is larger than ${options.maxDirectoryBytes} bytes`);
  const directory =
    end.directoryOffset >= tailStart
      ? tail.subarray(end.directoryOffset - tailStart, end.directoryOffset - tailStart + end.directoryBytes)
      : end.directoryBytes === 0
        ? Buffer.alloc(0)
        : await read(end.directoryOffset, end.directoryOffset + end.directoryBytes - 1);
  const entries = parseDirectory(directory, end.entries);
  return withDataOffsets(entries, end.directoryOffset);
}

/** The last end record whose comment length reaches exactly the end of the archive (a signature inside data never does). */
function findEndRecord(tail: Buffer): number {
  for (let i = tail.length - END_BYTES; i >= 0; i--)
    if (tail.readUInt32LE(i) === SIG.end && i + END_BYTES + tail.readUInt16LE(i + 20) === tail.length) return i;
  return -1;
}

async function endRecord(
  read: RangeReader,
  tail: Buffer,
  tailStart: number,
  at: number,
  archiveBytes: number,
): Promise<EndRecord> {
  const entries = tail.readUInt16LE(at + 10);
  const directoryBytes = tail.readUInt32LE(at + 12);
  const directoryOffset = tail.readUInt32LE(at + 16);
  const locatorAt = at - LOCATOR64_BYTES;
  const hasLocator = locatorAt >= 0 && tail.readUInt32LE(locatorAt) === SIG.locator64;
  const overflows = entries === U16_MAX || directoryBytes === U32_MAX || directoryOffset === U32_MAX;
  if (!hasLocator) {
    if (overflows && tailStart + at >= LOCATOR64_BYTES)
      throw new ZipFormatError("the end record needs ZIP64 but there is no ZIP64 locator");
    return { entries, directoryBytes, directoryOffset };
  }
  const end64Offset = u64(tail, locatorAt + 8);
  if (end64Offset + END64_BYTES > archiveBytes)
    throw new ZipFormatError("the ZIP64 end record lies outside the archive");
  const end64 =
    end64Offset >= tailStart
      ? tail.subarray(end64Offset - tailStart, end64Offset - tailStart + END64_BYTES)
      : await read(end64Offset, end64Offset + END64_BYTES - 1);
  if (end64.length < END64_BYTES || end64.readUInt32LE(0) !== SIG.end64)
    throw new ZipFormatError("no ZIP64 end of central directory record where the locator points");
  return { entries: u64(end64, 32), directoryBytes: u64(end64, 40), directoryOffset: u64(end64, 48) };
}

function parseDirectory(directory: Buffer, expected: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let p = 0;
  while (p < directory.length) {
    if (p + CENTRAL_HEADER_BYTES > directory.length || directory.readUInt32LE(p) !== SIG.central)
      throw new ZipFormatError(`no central directory header at directory offset ${p}`);
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const commentLength = directory.readUInt16LE(p + 32);
    const next = p + CENTRAL_HEADER_BYTES + nameLength + extraLength + commentLength;
    if (next > directory.length) throw new ZipFormatError("a central directory header runs past the directory");
    const nameStart = p + CENTRAL_HEADER_BYTES;
    let size = directory.readUInt32LE(p + 24);
    let compressedSize = directory.readUInt32LE(p + 20);
    let localHeaderOffset = directory.readUInt32LE(p + 42);
    // The ZIP64 extra field holds, in this order, only the values whose 32-bit field is all ones.
    const extra = directory.subarray(nameStart + nameLength, nameStart + nameLength + extraLength);
    for (let e = 0; e + 4 <= extra.length;) {
      const id = extra.readUInt16LE(e);
      const length = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        const take = (): number => {
          if (q + 8 > e + 4 + length) throw new ZipFormatError("a ZIP64 extra field is too short");
          const v = u64(extra, q);
          q += 8;
          return v;
        };
        if (size === U32_MAX) size = take();
        if (compressedSize === U32_MAX) compressedSize = take();
        if (localHeaderOffset === U32_MAX) localHeaderOffset = take();
      }
      e += 4 + length;
    }
    entries.push({
      name: directory.toString("utf8", nameStart, nameStart + nameLength),
      method: directory.readUInt16LE(p + 10),
      flags: directory.readUInt16LE(p + 8),
      crc32: directory.readUInt32LE(p + 16),
      compressedSize,
      size,
      localHeaderOffset,
      dataOffset: null,
    });
    p = next;
  }
  if (entries.length !== expected)
    throw new ZipFormatError(`the end record counts ${expected} entries, the directory holds ${entries.length}`);
  return entries;
}

/** Entries are laid end to end before the directory; without a data descriptor, each one's bytes end where the next begins. */
function withDataOffsets(entries: ZipEntry[], directoryOffset: number): ZipEntry[] {
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  const dataOffsets = new Map<ZipEntry, number | null>();
  byOffset.forEach((entry, i) => {
    const next = byOffset[i + 1]?.localHeaderOffset ?? directoryOffset;
    if ((entry.flags & FLAG_DATA_DESCRIPTOR) !== 0) return dataOffsets.set(entry, null);
    const dataOffset = next - entry.compressedSize;
    if (dataOffset < entry.localHeaderOffset + LOCAL_HEADER_BYTES + Buffer.byteLength(entry.name))
      throw new ZipFormatError(`entry ${entry.name} overlaps the next one`);
    dataOffsets.set(entry, dataOffset);
  });
  return entries.map((e) => ({ ...e, dataOffset: dataOffsets.get(e) ?? null }));
}

/**
 * Checks the local header of `entry` in `head` (the archive's bytes from its local header on) and
 * returns where its data begins, relative to the local header.
 */
export function checkLocalHeader(entry: ZipEntry, head: Buffer): number {
  if (head.length < LOCAL_HEADER_BYTES || head.readUInt32LE(0) !== SIG.local)
    throw new ZipFormatError(`no local header for ${entry.name}`);
  const nameLength = head.readUInt16LE(26);
  const extraLength = head.readUInt16LE(28);
  const name = head.toString("utf8", LOCAL_HEADER_BYTES, LOCAL_HEADER_BYTES + nameLength);
  if (name !== entry.name) throw new ZipFormatError(`the local header names ${name}, the directory ${entry.name}`);
  const start = LOCAL_HEADER_BYTES + nameLength + extraLength;
  if (entry.dataOffset !== null && entry.localHeaderOffset + start !== entry.dataOffset)
    throw new ZipFormatError(`the local header of ${entry.name} does not fit its place in the archive`);
  return start;
}

/** The data offset of an entry written with a data descriptor: read from its local header (two small reads). */
export async function readDataOffset(read: RangeReader, entry: ZipEntry): Promise<number> {
  if (entry.dataOffset !== null) return entry.dataOffset;
  const fixed = await read(entry.localHeaderOffset, entry.localHeaderOffset + LOCAL_HEADER_BYTES - 1);
  const variable = fixed.readUInt16LE(26) + fixed.readUInt16LE(28);
  const whole =
    variable === 0
      ? fixed
      : Buffer.concat([
          fixed,
          await read(
            entry.localHeaderOffset + LOCAL_HEADER_BYTES,
            entry.localHeaderOffset + LOCAL_HEADER_BYTES + variable - 1,
          ),
        ]);
  return entry.localHeaderOffset + checkLocalHeader(entry, whole);
}
