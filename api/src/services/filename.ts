import { extname } from "node:path";

export const MAX_FILENAME_LENGTH = 200;

/**
 * A name safe to show, to put in a blob key and in a Content-Disposition header: the last
 * path segment only, no control or shell/Windows-reserved characters, no leading dots
 * (so never `.` or `..`), at most MAX_FILENAME_LENGTH code points with the extension kept.
 * Null when nothing usable is left.
 */
export function sanitizeFilename(raw: string): string | null {
  const base = raw.normalize("NFC").split(/[\\/]/).pop() ?? "";
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are what this replaces
    .replace(/[\u0000-\u001f\u007f-\u009f"<>|:*?]/g, "_")
    .replace(/\s+/g, " ")
    .replace(/^[.\s]+/, "")
    .trim();
  const chars = Array.from(cleaned);
  if (chars.length === 0) return null;
  if (chars.length <= MAX_FILENAME_LENGTH) return cleaned;
  const ext = Array.from(extname(cleaned));
  const keepExt = ext.length > 0 && ext.length <= 16 ? ext : [];
  return (
    chars
      .slice(0, MAX_FILENAME_LENGTH - keepExt.length)
      .join("")
      .trimEnd() + keepExt.join("")
  );
}

/** `clip.final.mp4` -> `clip.final`, used to name the frames archive. */
export function basenameWithoutExtension(filename: string): string {
  const ext = extname(filename);
  const stem = ext.length > 0 && ext.length < filename.length ? filename.slice(0, -ext.length) : filename;
  return stem.length > 0 ? stem : "video";
}

/** `video/*` or `application/octet-stream` (what browsers send for unknown types), parameters dropped, lower-cased. */
export function normalizeVideoContentType(raw: string): string | null {
  const type = (raw.split(";")[0] ?? "").trim().toLowerCase();
  if (type === "application/octet-stream") return type;
  return /^video\/[a-z0-9][a-z0-9.+-]{0,99}$/.test(type) ? type : null;
}

/**
 * The file name as a blob-key segment: blob keys become paths on disk and S3 keys, so they
 * keep to a small charset (letters, digits, `. _ - = + @ ,`) and never start with a dot.
 */
export function blobKeySegment(filename: string): string {
  const safe = filename
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._\-=+@,]+/g, "_")
    .replace(/^[^A-Za-z0-9_-]+/, "")
    .slice(0, MAX_FILENAME_LENGTH);
  return safe.length > 0 ? safe : "video";
}
