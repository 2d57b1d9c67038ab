import { DomainError } from "@vp/domain";
import type { CompletedUpload } from "../ports/blob-store.js";

/** Multipart rules both blob stores follow (S3's: at most 10,000 parts, all but the last of one size). */
const MiB = 1024 * 1024;
export const DEFAULT_MULTIPART_THRESHOLD_BYTES = 256 * MiB;
export const DEFAULT_PART_SIZE_BYTES = 64 * MiB;
export const MAX_PARTS = 10_000;

/**
 * The sizes of a multipart upload's parts: `partSize` each (raised so there are at most MAX_PARTS),
 * the last taking the remainder.
 */
export function planParts(sizeBytes: number, partSize: number): number[] {
  const size = Math.max(partSize, Math.ceil(sizeBytes / MAX_PARTS));
  const sizes: number[] = [];
  for (let left = sizeBytes; left > 0; left -= size) sizes.push(Math.min(size, left));
  return sizes;
}

/** Checks a completion's part list is exactly 1..n in order: what both adapters require. */
export function checkPartList(parts: CompletedUpload["parts"], expected: number): void {
  if (parts.length !== expected)
    throw new DomainError("VALIDATION", `this upload has ${expected} parts, ${parts.length} were listed`, ["parts"]);
  parts.forEach((p, i) => {
    if (p.partNumber !== i + 1)
      throw new DomainError("VALIDATION", `parts must be listed in order from 1: found ${p.partNumber} at ${i + 1}`, [
        "parts",
        String(i),
        "partNumber",
      ]);
  });
}
