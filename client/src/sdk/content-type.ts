import path from "node:path";

const VIDEO_TYPES: Readonly<Record<string, string>> = {
  ".mp4": "video/mp4",
  ".m4v": "video/x-m4v",
  ".mov": "video/quicktime",
  ".mkv": "video/x-matroska",
  ".webm": "video/webm",
  ".avi": "video/x-msvideo",
  ".mpg": "video/mpeg",
  ".mpeg": "video/mpeg",
  ".ts": "video/mp2t",
  ".3gp": "video/3gpp",
  ".ogv": "video/ogg",
  ".flv": "video/x-flv",
  ".wmv": "video/x-ms-wmv",
};

/** The server accepts video/* or application/octet-stream and probes the bytes anyway: the extension is only a hint. */
export const guessContentType = (file: string): string =>
  VIDEO_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
