import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A small H.264 test video (no audio), keyframe every second so seeking stays cheap. */
export async function makeTestVideo(
  path: string,
  { seconds = 10, size = "320x240", rate = 30 }: { seconds?: number; size?: string; rate?: number } = {},
): Promise<string> {
  await run("ffmpeg", [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `testsrc2=size=${size}:rate=${rate}`,
    "-t",
    String(seconds),
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    "yuv420p",
    "-g",
    String(rate),
    path,
  ]);
  return path;
}

/** True when ffmpeg decodes the image without error. */
export async function isDecodableImage(path: string): Promise<boolean> {
  try {
    await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-xerror", "-i", path, "-f", "null", "-"]);
    return true;
  } catch {
    return false;
  }
}
