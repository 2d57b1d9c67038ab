import { stat } from "node:fs/promises";
import { z } from "zod";
import path from "node:path";
import { resolveFfprobe } from "./resolve-ffmpeg.js";
import { runCollect } from "./runner.js";
import { looksUnsafe } from "./sniff.js";
import { normalizeProbe } from "./probe-normalize.js";
import { indexOf, scanPackets } from "./packet-index.js";
import { KeyframeIndex } from "../sampling/keyframe-index.js";
import { ExtractionError, type ProbeResult } from "../types.js";

export interface ProbeOptions {
  readonly signal?: AbortSignal;
  /** @default 60 */
  readonly timeoutSeconds?: number;
  /** Largest width x height accepted: a larger video is refused (SOURCE_TOO_LARGE) before anything decodes it. @default no limit */
  readonly maxSourcePixels?: number;
}

/**
 * ffprobe arguments: only the file protocol, the one input given as a `file:` URL, its format and
 * streams. The packets (keyframe index, frame-rate sample) come from a scan run beside it (packet-index.ts).
 */
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
    toFileUrl(inputPath),
  ];
}

/** An absolute `file:` URL: a name starting with "-" or containing "http:" is never read as an option or protocol. */
export const toFileUrl = (p: string): string => `file:${path.resolve(p)}`;

/**
 * ffprobe arguments that read the video streams' sizes without decoding a frame (`-skip_frame all`:
 * the sizes come from the container and the codec's headers). The full probe decodes a first frame
 * (ffprobe's stream analysis): 660 MB for one 16000x16000 H.264 frame, against 55 MB here.
 */
export function buildHeaderProbeArgs(inputPath: string): string[] {
  return [
    "-v",
    "error",
    "-hide_banner",
    "-protocol_whitelist",
    "file",
    "-skip_frame",
    "all",
    "-select_streams",
    "v",
    "-print_format",
    "json",
    "-show_entries",
    "stream=width,height:stream_disposition=attached_pic",
    toFileUrl(inputPath),
  ];
}

const headerSchema = z.object({
  streams: z
    .array(
      z.object({
        width: z.number().optional(),
        height: z.number().optional(),
        disposition: z.object({ attached_pic: z.number().optional() }).partial().optional(),
      }),
    )
    .default([]),
});

/** The largest video picture the headers declare (cover art aside), or null when they declare none. */
export function largestDeclaredPicture(raw: unknown): { width: number; height: number } | null {
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) return null;
  let best: { width: number; height: number } | null = null;
  for (const st of parsed.data.streams) {
    if (st.disposition?.attached_pic || !st.width || !st.height) continue;
    if (!best || st.width * st.height > best.width * best.height) best = { width: st.width, height: st.height };
  }
  return best;
}

export async function probe(inputPath: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  await checkFile(inputPath);
  const ffprobePath = await resolveFfprobe();
  if (opts.maxSourcePixels !== undefined) {
    // Headers first: a picture over the limit is refused before anything decodes one of its frames.
    const header = await runCollect({
      command: ffprobePath,
      args: buildHeaderProbeArgs(inputPath),
      timeoutSeconds: opts.timeoutSeconds ?? 60,
      ...(opts.signal ? { signal: opts.signal } : {}),
    }).catch(() => null); // the full probe below classifies an unreadable file
    const declared = header ? largestDeclaredPicture(safeJson(header.stdout)) : null;
    if (declared) checkSourcePixels(declared, opts.maxSourcePixels);
  }
  const run = { timeoutSeconds: opts.timeoutSeconds ?? 60, ...(opts.signal ? { signal: opts.signal } : {}) };
  // Both read the file without decoding a frame; side by side, the scan costs little wall time.
  const packets = scanPackets(ffprobePath, toFileUrl(inputPath), run);
  packets.catch(() => undefined); // a file the probe refuses is reported by the probe
  const { stdout } = await runCollect({ command: ffprobePath, args: buildProbeArgs(inputPath), ...run });
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new ExtractionError("INPUT_CORRUPT", "The video's metadata could not be read.", false, stdout.slice(0, 2000));
  }
  const streamOnly = normalizeProbe(json);
  checkSourcePixels(streamOnly, opts.maxSourcePixels);
  const scan = await packets;
  const videoIndex = chosenStream(json);
  const stream = videoIndex === undefined ? undefined : scan.streams.get(videoIndex);
  // The probe's own analysis (keyframe sample, frame-rate variation) from the first minute's packets.
  const withSample = normalizeProbe({
    ...(json as object),
    packets: (stream?.sample ?? []).map((p) => ({
      stream_index: videoIndex,
      pts_time: p.pts,
      flags: p.key ? "K_" : "__",
    })),
  });
  const index = indexOf(stream, withSample.timeOrigin ?? withSample.startTime);
  return {
    ...withSample,
    keyframeIntervalSeconds: index.meanInterval() ?? withSample.keyframeIntervalSeconds,
    keyframeIndex: index.toRecord(),
  };
}

/** The index of the stream normalizeProbe takes as the video (the first video stream that is not cover art). */
function chosenStream(json: unknown): number | undefined {
  const streams = (
    json as { streams?: { index?: number; codec_type?: string; disposition?: { attached_pic?: number } }[] }
  ).streams;
  return streams?.find((s) => s.codec_type === "video" && !s.disposition?.attached_pic)?.index;
}

/**
 * Refuses a source whose picture is larger than `max` pixels: decoding one frame of it costs
 * width x height x 1.5 bytes per reference frame, whatever the file's size (a 790 KB 16000x16000
 * video made one ffmpeg use 1.8 GB). Judged on the probe, which reads headers and packets only.
 */
export function checkSourcePixels(p: Pick<ProbeResult, "width" | "height">, max: number | undefined): void {
  if (max === undefined || p.width * p.height <= max) return;
  const mp = (n: number): string => `${(n / 1e6).toFixed(1)} MP`;
  throw new ExtractionError(
    "SOURCE_TOO_LARGE",
    `The video is too large: ${p.width}x${p.height} (${mp(p.width * p.height)}) is more than the ${max} pixels (${mp(max)}) per frame this service accepts.`,
    false,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
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

/** The probe's stored keyframe index, or (an older probe, or one whose index was too long to store) one read from the packets now. */
export async function keyframeIndexOf(
  p: ProbeResult,
  ffprobePath: string,
  inputPath: string,
  signal: AbortSignal,
): Promise<KeyframeIndex> {
  const stored = KeyframeIndex.fromRecord(p.keyframeIndex);
  if (stored) return stored;
  const scan = await scanPackets(ffprobePath, toFileUrl(inputPath), { signal, timeoutSeconds: 600 });
  // The video stream the probe chose is the first video stream that carries more than one packet (cover art carries one).
  const streams = [...scan.streams.values()].sort((a, b) => b.count - a.count);
  return indexOf(streams[0], p.timeOrigin ?? p.startTime);
}
