import { resolvePicker } from "../native/picker-binary.js";
import { ExtractionError, type ProbeResult } from "../types.js";
import { startPacketScan, type PacketScan } from "./packet-index.js";
import { resolveFfprobe } from "./resolve-ffmpeg.js";
import { FFPROBE_QUIET_FILE_ONLY, runCollect } from "./runner.js";
import { looksUnsafe } from "./sniff.js";
import { stat } from "node:fs/promises";
import path from "node:path";

/*
 * The probe's first half: the file checks and the ffprobe processes, with nothing heavier than
 * Node's own modules imported, so that the CLI starts them before it loads the rest of the engine
 * (its schemas and archive code: 0.08 s of a small job's start-up that now overlaps ffprobe).
 * probe.ts reads what they print.
 */

export interface ProbeOptions {
  readonly signal?: AbortSignal;
  /** @default 60 */
  readonly timeoutSeconds?: number;
  /** Largest width x height accepted: a larger video is refused (SOURCE_TOO_LARGE) before anything decodes it. @default no limit */
  readonly maxSourcePixels?: number;
}

/** The probe's processes, running: what they print, once they end. */
export interface StartedProbe {
  readonly inputPath: string;
  /** ffprobe's JSON: the format and every stream. */
  readonly formatAndStreams: Promise<string>;
  /** Every video packet's time and flags. */
  readonly packets: Promise<PacketScan>;
}

/**
 * Checks the file, then starts the probe's two ffprobes side by side (neither decodes a frame).
 * With `maxSourcePixels`, a picture over the limit is refused from its headers before they start.
 */
export async function startProbe(inputPath: string, opts: ProbeOptions = {}): Promise<StartedProbe> {
  await checkFile(inputPath);
  const ffprobePath = await resolveFfprobe();
  // A probe is followed by an extraction: the picker's build check (pkg-config) runs while ffprobe reads.
  void resolvePicker();
  const run = { timeoutSeconds: opts.timeoutSeconds ?? 60, ...(opts.signal ? { signal: opts.signal } : {}) };
  if (opts.maxSourcePixels !== undefined) {
    const header = await runCollect({ command: ffprobePath, args: buildHeaderProbeArgs(inputPath), ...run }).catch(
      () => null, // the full probe classifies an unreadable file
    );
    const declared = header ? largestDeclaredPicture(safeJson(header.stdout)) : null;
    if (declared) checkSourcePixels(declared, opts.maxSourcePixels);
  }
  const formatAndStreams = runCollect({ command: ffprobePath, args: buildProbeArgs(inputPath), ...run }).then(
    (r) => r.stdout,
  );
  formatAndStreams.catch(() => undefined);
  // Awaited until spawned: a caller loading modules next would otherwise hold the spawn back.
  const packets = (await startPacketScan(ffprobePath, toFileUrl(inputPath), run)).result;
  // Whoever reads them sees their failures; unread, they must not end the process.
  packets.catch(() => undefined);
  return { inputPath, formatAndStreams, packets };
}

/**
 * ffprobe arguments: only the file protocol, the one input given as a `file:` URL, its format and
 * streams. The packets (keyframe index, frame-rate sample) come from a scan run beside it (packet-index.ts).
 */
export function buildProbeArgs(inputPath: string): string[] {
  return [...FFPROBE_QUIET_FILE_ONLY, "-print_format", "json", "-show_format", "-show_streams", toFileUrl(inputPath)];
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
    ...FFPROBE_QUIET_FILE_ONLY,
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

interface DeclaredStream {
  readonly width?: unknown;
  readonly height?: unknown;
  readonly disposition?: { readonly attached_pic?: unknown };
}

/** The largest video picture the headers declare (cover art aside), or null when they declare none. */
export function largestDeclaredPicture(raw: unknown): { width: number; height: number } | null {
  const streams = (raw as { streams?: unknown } | null)?.streams;
  if (!Array.isArray(streams)) return null;
  let best: { width: number; height: number } | null = null;
  for (const st of streams as DeclaredStream[]) {
    const { width, height } = st ?? {};
    if (st?.disposition?.attached_pic || typeof width !== "number" || typeof height !== "number") continue;
    if (!width || !height) continue;
    if (!best || width * height > best.width * best.height) best = { width, height };
  }
  return best;
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
