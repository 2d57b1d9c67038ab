import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A small H.264 test video (no audio), keyframe every second so seeking stays cheap. */
export async function makeTestVideo(
  path: string,
  {
    seconds = 10,
    size = "320x240",
    rate = 30,
    noisy = false,
  }: {
    seconds?: number;
    size?: string;
    rate?: number;
    /** Moving noise at high quality: barely compressible, about 3.5 MB a second at 320x240 (multipart uploads). */
    noisy?: boolean;
  } = {},
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
    ...(noisy ? ["-vf", "noise=alls=60:allf=t", "-qp", "10"] : []),
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
