import { z } from "zod";
import { UNSAFE_FORMATS } from "./sniff.js";
import { ExtractionError, type ProbeResult } from "../types.js";

/** The slice of ffprobe's JSON we rely on; everything else is ignored. */
const num = z.union([z.string(), z.number()]).transform(Number).optional();
const ffprobeSchema = z.object({
  format: z.object({ format_name: z.string().default(""), duration: num, start_time: num }).optional(),
  streams: z
    .array(
      z.object({
        index: z.number(),
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        avg_frame_rate: z.string().optional(),
        r_frame_rate: z.string().optional(),
        time_base: z.string().optional(),
        start_time: num,
        duration: num,
        nb_frames: num,
        disposition: z.object({ attached_pic: z.number().optional() }).partial().optional(),
        tags: z.record(z.string(), z.string()).optional(),
        side_data_list: z
          .array(z.object({ side_data_type: z.string().optional(), rotation: z.number().optional() }).passthrough())
          .optional(),
      }),
    )
    .default([]),
  packets: z.array(z.object({ stream_index: z.number(), pts_time: num, flags: z.string().optional() })).default([]),
});

/** ffprobe's "num/den" (frame rates, time bases). */
function ratio(r: string | undefined): { num: number; den: number } | undefined {
  const [n, d] = (r ?? "").split("/").map(Number);
  return n !== undefined && d !== undefined && d > 0 && Number.isFinite(n) ? { num: n, den: d } : undefined;
}

const rate = (r: string | undefined): number => {
  const q = ratio(r);
  return q ? q.num / q.den : 0;
};

/** A stream's time base, "1/15360": whole positive numbers or nothing. */
export function parseTimeBase(s: string | undefined): ProbeResult["timeBase"] {
  const q = ratio(s);
  return q && q.num > 0 && Number.isInteger(q.num) && Number.isInteger(q.den) ? q : undefined;
}

/** Degrees clockwise to turn the stored picture upright, from the display matrix (counter-clockwise) or the legacy rotate tag. */
export function rotationOf(stream: {
  side_data_list?: { rotation?: number | undefined }[] | undefined;
  tags?: Record<string, string> | undefined;
}): number {
  const matrix = stream.side_data_list?.find((s) => typeof s.rotation === "number")?.rotation;
  const cw = matrix !== undefined ? -matrix : Number(stream.tags?.rotate ?? 0);
  const r = (((Math.round(cw / 90) * 90) % 360) + 360) % 360;
  return Number.isFinite(r) ? r : 0;
}

/** ffprobe JSON -> our ProbeResult. Refuses what the engine must not or cannot process. */
export function normalizeProbe(raw: unknown): ProbeResult {
  const parsed = ffprobeSchema.safeParse(raw);
  if (!parsed.success)
    throw new ExtractionError("INPUT_CORRUPT", "The video's metadata could not be read.", false, parsed.error.message);
  const { format, streams, packets } = parsed.data;
  const formatName = format?.format_name ?? "";
  if (formatName.split(",").some((f) => UNSAFE_FORMATS.has(f)))
    throw new ExtractionError(
      "UNSAFE_INPUT",
      "The file is a playlist or script that points at other files, which is not allowed.",
      false,
    );
  if (/_pipe$|^image2|^(png|webp|bmp)$/.test(formatName))
    throw new ExtractionError("NO_VIDEO_STREAM", "The file is a still image, not a video.", false);

  const video = streams.find((s) => s.codec_type === "video" && !s.disposition?.attached_pic);
  if (!video)
    throw new ExtractionError("NO_VIDEO_STREAM", "The file has no video track (audio only or not a video).", false);
  if (!video.codec_name || video.codec_name === "none" || !video.width || !video.height)
    throw new ExtractionError("UNSUPPORTED_CODEC", "The video uses a codec this service cannot decode.", false);

  const startTime = finite(video.start_time) ?? finite(format?.start_time) ?? 0;
  const duration = finite(format?.duration) ?? finite(video.duration);
  if (duration === undefined || duration <= 0)
    throw new ExtractionError(
      "INPUT_CORRUPT",
      "The video's duration could not be determined; the file may be damaged.",
      false,
    );

  const rotation = rotationOf(video);
  const swap = rotation === 90 || rotation === 270;
  const frameRate = rate(video.avg_frame_rate) || rate(video.r_frame_rate);

  const vPackets = packets.filter((p) => p.stream_index === video.index && Number.isFinite(p.pts_time));
  const keyTimes = vPackets
    .filter((p) => p.flags?.startsWith("K"))
    .map((p) => p.pts_time as number)
    .sort((a, b) => a - b);
  const keyframeIntervalSeconds =
    keyTimes.length >= 2 ? ((keyTimes.at(-1) as number) - (keyTimes[0] as number)) / (keyTimes.length - 1) : null;
  const pts = vPackets.map((p) => p.pts_time as number).sort((a, b) => a - b);
  const nbFrames = finite(video.nb_frames);
  const timeBase = parseTimeBase(video.time_base);

  return {
    durationSeconds: duration,
    width: swap ? video.height : video.width,
    height: swap ? video.width : video.height,
    frameRate,
    videoCodec: video.codec_name,
    rotation,
    hasAudio: streams.some((s) => s.codec_type === "audio"),
    formatName,
    startTime,
    ...(timeBase ? { timeBase } : {}),
    keyframeIntervalSeconds,
    variableFrameRate: isVariable(pts),
    timeOrigin: finite(format?.start_time) ?? startTime,
    keyframeSample: keyTimes.map((k) => Math.round((k - (finite(format?.start_time) ?? startTime)) * 1e6) / 1e6),
    frameCount:
      nbFrames !== undefined && nbFrames > 0 ? nbFrames : frameRate > 0 ? Math.round(duration * frameRate) : null,
  };
}

const finite = (n: number | undefined): number | undefined => (n !== undefined && Number.isFinite(n) ? n : undefined);

/** Frame durations differing by more than 10% from their median means variable frame rate. */
export function isVariable(sortedPts: readonly number[]): boolean {
  if (sortedPts.length < 3) return false;
  const d: number[] = [];
  for (let i = 1; i < sortedPts.length; i++) d.push((sortedPts[i] as number) - (sortedPts[i - 1] as number));
  const sorted = [...d].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  if (median <= 0) return false;
  return d.some((x) => Math.abs(x - median) > median * 0.1 + 1e-4);
}
