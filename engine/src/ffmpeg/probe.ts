import { KeyframeIndex } from "../sampling/keyframe-index.js";
import { ExtractionError, type ProbeResult } from "../types.js";
import { indexOf, scanPackets } from "./packet-index.js";
import { normalizeProbe } from "./probe-normalize.js";
import { checkSourcePixels, startProbe, toFileUrl, type ProbeOptions, type StartedProbe } from "./probe-start.js";

/** Format, streams, timing and the keyframe index from the packets, without decoding a frame of the video. */
export async function probe(inputPath: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  return readProbe(await startProbe(inputPath, opts), opts);
}

/** The probe from what startProbe's processes print. */
export async function readProbe(
  started: StartedProbe,
  opts: Pick<ProbeOptions, "maxSourcePixels"> = {},
): Promise<ProbeResult> {
  const stdout = await started.formatAndStreams;
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new ExtractionError("INPUT_CORRUPT", "The video's metadata could not be read.", false, stdout.slice(0, 2000));
  }
  const streamOnly = normalizeProbe(json);
  checkSourcePixels(streamOnly, opts.maxSourcePixels);
  const scan = await started.packets;
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
