import { open } from "node:fs/promises";

/**
 * Playlists and other text formats (HLS, DASH, concat scripts, SDP, ...) make ffmpeg open further
 * files or network addresses. They are refused before ffprobe ever sees them: a media file's first
 * kilobytes are binary, a playlist's are text.
 */
const TEXT_SIGNATURES = [
  /^#EXTM3U/i,
  /^ffconcat/i,
  /^\s*<\?xml/i,
  /^\s*<MPD/i,
  /^\s*<smil/i,
  /^v=0\r?\n/,
  /^\s*file\s+['"]?/i,
  /^\[playlist\]/i,
  /^#EXT/i,
];

/** Bytes of a file's head that classifyHead looks at. */
export const SNIFF_BYTES = 4096;

export async function looksUnsafe(filePath: string): Promise<string | null> {
  const fh = await open(filePath, "r");
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return classifyHead(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/** Pure: the reason a file head is refused, or null when it looks like binary media. */
export function classifyHead(head: Buffer): string | null {
  const text = head.toString("latin1").replace(/^\uFEFF|^\xEF\xBB\xBF/, "");
  if (TEXT_SIGNATURES.some((re) => re.test(text))) return "a playlist or script that points at other files";
  // Printable text throughout (no control bytes besides whitespace): no video container looks like that.
  const binary = head.some((b) => (b < 0x09 || (b > 0x0d && b < 0x20)) && b !== 0x1b);
  if (!binary && head.length > 0) return "a text file, not a video";
  return null;
}

/** Demuxers that read other resources named inside the file; refused even if they slip past the sniffing. */
export const UNSAFE_FORMATS = new Set([
  "hls",
  "applehttp",
  "concat",
  "dash",
  "sdp",
  "rtp",
  "rtsp",
  "tee",
  "ffmetadata",
  "mpl2",
  "webvtt",
  "srt",
  "ass",
  "lavfi",
  "data",
  "tedcaptions",
]);
