import { stat } from "node:fs/promises";
import path from "node:path";
import { resolveFfmpeg } from "./resolve-ffmpeg.js";
import { runCollect } from "./runner.js";
import { looksUnsafe } from "./sniff.js";
import { normalizeProbe } from "./probe-normalize.js";
import { ExtractionError, type ProbeResult } from "../types.js";

export interface ProbeOptions {
  readonly signal?: AbortSignal;
  /** @default 60 */
  readonly timeoutSeconds?: number;
}

/** Seconds of packets read to estimate the keyframe interval and detect variable frame rate. */
export const PACKET_SAMPLE_SECONDS = 60;

/** ffprobe arguments: only the file protocol, the one input given as a `file:` URL, packets of the first minute. */
export function buildProbeArgs(inputPath: string): string[] {
  return [
    "-v",
    "error",
    "-hide_banner",
    "-protocol_whitelist",
    "file",
    "-print_format",
    "json",
    "-show_format",
    "-show_streams",
    "-show_entries",
    "packet=stream_index,pts_time,flags",
    "-read_intervals",
    `%+${PACKET_SAMPLE_SECONDS}`,
    toFileUrl(inputPath),
  ];
}

/** An absolute `file:` URL: a name starting with "-" or containing "http:" is never read as an option or protocol. */
export const toFileUrl = (p: string): string => `file:${path.resolve(p)}`;

export async function probe(inputPath: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  await checkFile(inputPath);
  const { ffprobePath } = await resolveFfmpeg();
  const { stdout } = await runCollect({
    command: ffprobePath,
    args: buildProbeArgs(inputPath),
    timeoutSeconds: opts.timeoutSeconds ?? 60,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new ExtractionError("INPUT_CORRUPT", "The video's metadata could not be read.", false, stdout.slice(0, 2000));
  }
  return normalizeProbe(json);
}

/** Refuses before any ffmpeg runs: missing, not a regular file, empty, or a playlist/script. */
export async function checkFile(inputPath: string): Promise<void> {
  let st;
  try {
    st = await stat(inputPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      throw new ExtractionError("INPUT_NOT_FOUND", "The video file was not found.", false);
    throw new ExtractionError(
      "INTERNAL",
      `The video file could not be read (${(err as NodeJS.ErrnoException).code ?? "error"}).`,
      true,
    );
  }
  if (!st.isFile()) throw new ExtractionError("UNSAFE_INPUT", "The input is not a regular file.", false);
  if (st.size === 0) throw new ExtractionError("INPUT_EMPTY", "The video file is empty (0 bytes).", false);
  const unsafe = await looksUnsafe(inputPath);
  if (unsafe)
    throw new ExtractionError(
      "UNSAFE_INPUT",
      `The file is ${unsafe}, which is not allowed; upload the video file itself.`,
      false,
    );
}
