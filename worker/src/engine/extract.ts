import { availableParallelism } from "node:os";
import { DEFAULT_SCENE_THRESHOLD, type ExtractionOptions } from "@vp/schema";
import {
  arithmeticSelect,
  buildExtractArgs,
  FILE_EXTENSIONS,
  num,
  outputFilters,
  outputSize,
  sceneSelect,
  type OutputSize,
} from "./args.js";
import { frameSource, type DecodedFrame, type RawFrame } from "./frame-source.js";
import { orderedMerge } from "./ordered.js";
import { frameCap, targetAt, targetCount, validatePlan, TIME_EPSILON, type Targets } from "./plan.js";
import { checkFile, probe, toFileUrl } from "./probe.js";
import { ProgressReporter } from "./progress.js";
import { resolveFfmpeg, type FfmpegBinaries } from "./resolve-ffmpeg.js";
import { runCollect } from "./runner.js";
import { planDecodeSpans, type DecodeSpans } from "./decode-spans.js";
import { firstTickAt, planSeekBatch } from "./seek-batch.js";
import {
  choosePlan,
  DEFAULT_KEYFRAME_INTERVAL,
  MAX_SEEKS_PER_PROCESS,
  periodicKeyframes,
  planSeekBatches,
  type Plan,
  type Segment,
} from "./strategy.js";
import {
  ExtractionError,
  type ExtractRequest,
  type ExtractResult,
  type ManifestFrame,
  type ProbeResult,
} from "./types.js";
import { ZipSink } from "./zip-sink.js";

/** SCENES: minimum seconds between two scene frames when the request names none. */
export const DEFAULT_SCENE_MIN_GAP_SECONDS = 0.5;
/** Extra seconds the last decoding segment reads past the range end. */
const END_SLACK_SECONDS = 1;
/** Bytes a waiting decoder may buffer ahead of the archive, all processes together. */
const READ_AHEAD_BYTES = 48 * 1024 * 1024;

interface Ctx {
  readonly bins: FfmpegBinaries;
  readonly probe: ProbeResult;
  readonly options: ExtractionOptions;
  readonly signal: AbortSignal;
  readonly size: OutputSize;
  readonly concurrency: number;
  readonly cores: number;
  readonly cap: number;
  readonly url: string;
  readonly origin: number;
  readonly seeksPerProcess: number;
  /** ffmpeg processes started, for the result. */
  readonly runs: { count: number };
}

interface PlacedFrame extends DecodedFrame {
  readonly requestedSeconds: number | null;
}

/**
 * Extracts frames into a stored ZIP streamed to `req.output`, with `manifest.json` last.
 * Frame-exact: for each requested time t the frame kept is the first whose timestamp is >= t.
 */
export async function extract(req: ExtractRequest): Promise<ExtractResult> {
  const controller = new AbortController();
  const stop = (e: ExtractionError): void => {
    if (!controller.signal.aborted) controller.abort(e);
  };
  const onCancel = (): void => stop(new ExtractionError("CANCELLED", "The extraction was cancelled.", true));
  if (req.signal?.aborted) onCancel();
  req.signal?.addEventListener("abort", onCancel, { once: true });
  const timer = setTimeout(
    () =>
      stop(
        new ExtractionError(
          "TIMEOUT",
          `The extraction took longer than its ${req.limits.timeoutSeconds} s limit.`,
          true,
        ),
      ),
    req.limits.timeoutSeconds * 1000,
  );
  const sink = new ZipSink(req.output, controller.signal);
  const progress = new ProgressReporter(req.onProgress);
  try {
    if (controller.signal.aborted) throw controller.signal.reason;
    const bins = await resolveFfmpeg();
    // A probe made earlier does not prove the file is still there and unchanged in kind.
    if (req.probe) await checkFile(req.inputPath);
    const probed =
      req.probe ??
      (await probe(req.inputPath, { signal: controller.signal, timeoutSeconds: req.limits.timeoutSeconds }));
    const options = req.options;
    const verdict = validatePlan(options, probed, req.limits);
    if (!verdict.ok)
      throw new ExtractionError(
        "INVALID_OPTIONS",
        verdict.problems.map((p) => `${p.field.join(".")}: ${p.message}`).join("; "),
        false,
      );

    const cores = availableParallelism();
    const concurrency = Math.max(1, req.limits.concurrency ?? cores);
    const size = outputSize(probed.width, probed.height, options);
    const bufferFrames = Math.max(
      2,
      Math.min(120, Math.floor(READ_AHEAD_BYTES / concurrency / estimateFrameBytes(size, options.format))),
    );
    const plan = choosePlan(options, probed, concurrency, bufferFrames);
    const ctx: Ctx = {
      bins,
      probe: probed,
      options,
      signal: controller.signal,
      size,
      concurrency,
      cores,
      cap: frameCap(options, req.limits),
      url: toFileUrl(req.inputPath),
      origin: probed.timeOrigin ?? probed.startTime,
      seeksPerProcess: Math.max(1, req.limits.seeksPerProcess ?? MAX_SEEKS_PER_PROCESS),
      runs: { count: 0 },
    };
    const expected = plan.targets ? targetCount(plan.targets) : null;
    const span = plan.range.end - plan.range.start;
    const ext = FILE_EXTENSIONS[options.format];
    const frames: ManifestFrame[] = [];
    for await (const f of framesOf(plan, ctx, bufferFrames)) {
      if (controller.signal.aborted) throw controller.signal.reason;
      if (frames.length >= ctx.cap) break;
      const index = frames.length + 1;
      const file = `frame_${String(index).padStart(6, "0")}.${ext}`;
      await sink.add(file, f.data);
      frames.push({ file, index, requestedSeconds: f.requestedSeconds, timestampSeconds: f.seconds });
      progress.report(expected ? index / expected : (f.seconds - plan.range.start) / span, index);
    }
    if (frames.length === 0)
      throw new ExtractionError("INPUT_CORRUPT", "No frame could be decoded from the video.", false);
    const manifest = { video: videoOf(probed), options, strategy: plan.strategy, frames };
    await sink.add("manifest.json", Buffer.from(JSON.stringify(manifest, null, 2)));
    await sink.finish();
    progress.report(1, frames.length, true);
    return { frameCount: frames.length, strategy: plan.strategy, ffmpegRuns: ctx.runs.count, frames, probe: probed };
  } catch (err) {
    const e = classified(err, controller.signal);
    stop(e);
    sink.abort(e);
    throw e;
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener("abort", onCancel);
  }
}

function classified(err: unknown, signal: AbortSignal): ExtractionError {
  const reason: unknown = signal.aborted ? signal.reason : undefined;
  const diagnostics = err instanceof ExtractionError ? err.diagnostics : String(err);
  if (reason instanceof ExtractionError)
    return new ExtractionError(reason.code, reason.message, reason.retryable, diagnostics);
  if (err instanceof ExtractionError) return err;
  if ((err as NodeJS.ErrnoException | null)?.code === "ENOSPC")
    return new ExtractionError("OUT_OF_DISK", "The disk is full: the archive could not be written.", true, diagnostics);
  return new ExtractionError(
    "INTERNAL",
    "The extraction failed unexpectedly.",
    true,
    err instanceof Error ? (err.stack ?? err.message) : String(err),
  );
}

const videoOf = (p: ProbeResult) => ({
  durationSeconds: p.durationSeconds,
  width: p.width,
  height: p.height,
  frameRate: p.frameRate,
  videoCodec: p.videoCodec,
  rotation: p.rotation,
  hasAudio: p.hasAudio,
  formatName: p.formatName,
});

function estimateFrameBytes(size: OutputSize, format: ExtractionOptions["format"]): number {
  const bytesPerPixel = format === "PNG" ? 2 : format === "WEBP" ? 0.15 : 0.3;
  return Math.max(4096, size.width * size.height * bytesPerPixel);
}

function framesOf(plan: Plan, ctx: Ctx, bufferFrames: number): AsyncGenerator<PlacedFrame> {
  switch (plan.strategy) {
    case "seek-parallel": {
      const times = Array.from({ length: targetCount(plan.targets) }, (_, i) => targetAt(plan.targets, i));
      const batches = planSeekBatches(
        times,
        ctx.concurrency,
        ctx.probe.keyframeIntervalSeconds ?? DEFAULT_KEYFRAME_INTERVAL,
        periodicKeyframes(ctx.probe.keyframeSample),
        ctx.seeksPerProcess,
      );
      const threads = threadsFor(ctx, Math.min(ctx.concurrency, batches.length));
      const producers = batches.map(
        ([from, to]) =>
          () =>
            seekMany(ctx, times.slice(from, to), threads),
      );
      return placeOnTargets(orderedMerge(producers, ctx.concurrency, bufferFrames), plan.targets, ctx);
    }
    case "segmented-decode": {
      const t = plan.targets;
      const running = Math.min(ctx.concurrency, plan.segments.length);
      const spans = keyframeSpans(ctx, t, plan.segments);
      const producers = plan.segments.map(
        (seg, i) => () =>
          spans
            ? spanFrames(ctx, t, spans[i] as SegmentSpans, threadsFor(ctx, running))
            : segmentFrames(ctx, t, seg, i === plan.segments.length - 1, threadsFor(ctx, running)),
      );
      return placeOnTargets(orderedMerge(producers, ctx.concurrency, bufferFrames), t, ctx);
    }
    case "keyframes":
      return untargeted(
        ctx,
        source(ctx, {
          seek: plan.range.start,
          duration: plan.range.end - plan.range.start,
          keyframesOnly: true,
          maxFrames: ctx.cap,
          filters: outputFilters(ctx.probe.width, ctx.probe.height, ctx.size, ctx.bins.outdated),
        }),
      );
    case "scenes": {
      const o = ctx.options;
      return untargeted(
        ctx,
        source(ctx, {
          seek: plan.range.start,
          duration: plan.range.end - plan.range.start,
          maxFrames: ctx.cap,
          filters: [
            sceneSelect(
              o.sceneThreshold ?? DEFAULT_SCENE_THRESHOLD,
              o.sceneMinGapSeconds ?? DEFAULT_SCENE_MIN_GAP_SECONDS,
            ),
            ...outputFilters(ctx.probe.width, ctx.probe.height, ctx.size, ctx.bins.outdated),
          ],
        }),
      );
    }
  }
}

/** Decoder threads per process: the cores shared among the processes running at once. */
const threadsFor = (ctx: Ctx, running: number): number => Math.max(1, Math.floor(ctx.cores / Math.max(1, running)));

function source(
  ctx: Ctx,
  s: {
    seek?: number;
    concatScript?: string;
    duration?: number;
    keyframesOnly?: boolean;
    threads?: number;
    maxFrames?: number;
    filters: string[];
  },
): AsyncGenerator<RawFrame> {
  const args = buildExtractArgs(
    {
      url: s.concatScript ? `data:text/plain;base64,${Buffer.from(s.concatScript).toString("base64")}` : ctx.url,
      ...(s.concatScript ? { concat: true } : {}),
      ...(s.seek !== undefined ? { seek: s.seek } : {}),
      ...(s.duration !== undefined ? { duration: s.duration } : {}),
      ...(s.keyframesOnly ? { keyframesOnly: true } : {}),
      ...(s.threads !== undefined ? { threads: s.threads } : {}),
    },
    {
      filters: s.filters,
      format: ctx.options.format,
      quality: ctx.options.quality,
      ...(s.maxFrames !== undefined ? { maxFrames: s.maxFrames } : {}),
      fpsModeFlag: ctx.bins.outdated ? "-vsync" : "-fps_mode",
    },
  );
  ctx.runs.count++;
  return frameSource({ ffmpegPath: ctx.bins.ffmpegPath, args, format: ctx.options.format, signal: ctx.signal });
}

/** ffmpeg's raw time (-copyts, microseconds) on the video's timeline (seconds, microsecond precision). */
const onTimeline = (ctx: Ctx, micros: number): number => Math.round(micros - ctx.origin * 1e6) / 1e6;

async function* timed(ctx: Ctx, frames: AsyncGenerator<RawFrame>): AsyncGenerator<DecodedFrame> {
  for await (const f of frames) yield { data: f.data, seconds: onTimeline(ctx, f.micros) };
}

/** Three frame intervals past a target; a second where frame intervals vary (screen recordings pause for seconds). */
const outpointMargin = (p: ProbeResult): number =>
  p.variableFrameRate || !(p.frameRate > 0) ? 1 : Math.max(0.05, 3 / p.frameRate);

/** Where to seek so that ffmpeg keeps exactly the frames at or after t (see firstTickAt). */
function exactSeek(ctx: Ctx, t: number): number {
  const tb = ctx.probe.timeBase;
  // trim rounds the seek to the nearest tick: exact only while a tick is at least 2 µs.
  if (!tb || tb.den > tb.num * 500_000) return t;
  const originMicros = Math.round(ctx.origin * 1e6);
  return Number(firstTickAt(t, originMicros, tb).micros - BigInt(originMicros)) / 1e6;
}

/** One segment decoded straight through, from the keyframe before its start (or the preroll earlier). */
function segmentFrames(
  ctx: Ctx,
  t: Targets & { kind: "arithmetic" },
  seg: Segment,
  last: boolean,
  threads: number,
): AsyncGenerator<DecodedFrame> {
  const from = earlySeek(ctx, seg.start);
  return timed(
    ctx,
    source(ctx, {
      ...from,
      // The last segment reads a little past the range: the frame answering its last target may lie beyond.
      duration: seg.end - (from.seek ?? 0) + (last ? END_SLACK_SECONDS : 0),
      threads,
      filters: [
        arithmeticSelect(t.start + ctx.origin, t.step, seg.firstTarget, t.count),
        ...outputFilters(ctx.probe.width, ctx.probe.height, ctx.size, ctx.bins.outdated),
      ],
    }),
  );
}

interface Span {
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly first: number;
  readonly last: number;
}

/** Decoding a span costs a file open and a seek, worth this many seconds of decoding. */
const SPAN_COST_SECONDS = 0.25;

/**
 * Each segment's targets grouped by the keyframe interval they fall in (decode-spans.ts), when
 * keyframes are predictable and skipping each interval's tail saves real work; otherwise null and
 * segments decode straight through.
 */
interface SegmentSpans {
  readonly spans: readonly Span[];
  readonly plan: DecodeSpans;
}

function keyframeSpans(
  ctx: Ctx,
  t: Targets & { kind: "arithmetic" },
  segments: readonly Segment[],
): SegmentSpans[] | null {
  const p = ctx.probe;
  const keyframeBefore = periodicKeyframes(p.keyframeSample);
  const period = p.keyframeIntervalSeconds;
  if (!keyframeBefore || !period || p.variableFrameRate || !batchable(ctx)) return null;
  const margin = outpointMargin(p);
  let saved = 0;
  const all = segments.map((seg, i): SegmentSpans | null => {
    const end = segments[i + 1]?.firstTarget ?? t.count;
    const spans: Span[] = [];
    for (let j = seg.firstTarget; j < end; j++) {
      const time = targetAt(t, j);
      const open = spans.at(-1);
      if (open && keyframeBefore(time) === keyframeBefore(open.first))
        spans[spans.length - 1] = { ...open, lastIndex: j, last: time };
      else spans.push({ firstIndex: j, lastIndex: j, first: time, last: time });
    }
    for (const s of spans) saved += keyframeBefore(s.last) + period - (s.last + margin) - SPAN_COST_SECONDS;
    const plan = planDecodeSpans({
      url: ctx.url,
      formatName: p.formatName,
      originMicros: Math.round(ctx.origin * 1e6),
      timeBase: p.timeBase as NonNullable<ProbeResult["timeBase"]>,
      durationSeconds: p.durationSeconds,
      marginSeconds: margin,
      start: t.start,
      step: t.step,
      spans,
    });
    return plan ? { spans, plan } : null;
  });
  const ready = all.filter((s): s is SegmentSpans => s !== null);
  return ready.length === all.length && saved > 0.05 * (t.count * t.step) ? ready : null;
}

/**
 * One segment's frames from its keyframe spans, in one ffmpeg process. A span whose last target got
 * no frame within the margin (the stream changed after the probed minute) has its remaining
 * targets sought one by one, so the answer is always the single-pass one.
 */
async function* spanFrames(
  ctx: Ctx,
  t: Targets & { kind: "arithmetic" },
  { spans, plan }: SegmentSpans,
  threads: number,
): AsyncGenerator<DecodedFrame> {
  const p = ctx.probe;
  let current = 0;
  let reached = -Infinity;
  async function* finish(span: Span): AsyncGenerator<DecodedFrame> {
    if (reached >= span.last - TIME_EPSILON) return;
    for (let j = span.firstIndex; j <= span.lastIndex; j++) {
      const time = targetAt(t, j);
      if (time > reached + TIME_EPSILON) yield* seekOne(ctx, time, threads);
    }
  }
  const frames = source(ctx, {
    concatScript: plan.script,
    threads,
    filters: [plan.select, ...outputFilters(p.width, p.height, ctx.size, ctx.bins.outdated)],
  });
  for await (const f of frames) {
    const at = plan.locate(f.micros);
    if (!at || at.span < current) continue;
    for (; current < at.span; current++, reached = -Infinity) yield* finish(spans[current] as Span);
    const seconds = onTimeline(ctx, at.micros);
    reached = Math.max(reached, seconds);
    yield { data: f.data, seconds };
  }
  for (; current < spans.length; current++, reached = -Infinity) yield* finish(spans[current] as Span);
}

const batchable = (ctx: Ctx): boolean => {
  const tb = ctx.probe.timeBase;
  return !ctx.bins.outdated && tb !== undefined && tb.den <= tb.num * 1e6 && INDEXED_FORMATS.test(ctx.probe.formatName);
};

/** Containers whose seek lands on a true keyframe through an index; elsewhere (MPEG-TS) seeks are per target. */
const INDEXED_FORMATS = /^(mov,mp4|matroska,webm$)/;

/**
 * The first frame at or after each of `times` (ascending), from one ffmpeg process (seek-batch.ts).
 * A target the batch leaves unanswered (no frame within its outpoint margin, e.g. a pause in a
 * screen recording) or a batch that fails is sought on its own, so the result is always the
 * single-seek one; a real fault then fails there, classified.
 */
async function* seekMany(ctx: Ctx, times: readonly number[], threads: number): AsyncGenerator<DecodedFrame> {
  const p = ctx.probe;
  const batch =
    times.length > 1 && p.timeBase && batchable(ctx)
      ? planSeekBatch({
          url: ctx.url,
          formatName: p.formatName,
          targets: times,
          originMicros: Math.round(ctx.origin * 1e6),
          timeBase: p.timeBase,
          durationSeconds: p.durationSeconds,
          marginSeconds: outpointMargin(p),
        })
      : null;
  let next = 0;
  if (batch) {
    try {
      const frames = source(ctx, {
        concatScript: batch.script,
        threads,
        maxFrames: times.length,
        filters: [batch.select, ...outputFilters(p.width, p.height, ctx.size, ctx.bins.outdated)],
      });
      for await (const f of frames) {
        const at = batch.locate(f.micros);
        if (!at || at.target < next) continue;
        for (; next < at.target; next++) yield* seekOne(ctx, times[next] as number, threads);
        yield { data: f.data, seconds: onTimeline(ctx, at.micros) };
        next = at.target + 1;
      }
    } catch (err) {
      if (ctx.signal.aborted) throw err;
    }
  }
  for (; next < times.length; next++) yield* seekOne(ctx, times[next] as number, threads);
}

/**
 * Seconds to start decoding before a target in containers without a seek index (MPEG-TS, MPEG-PS,
 * raw streams): their seek lands on any frame, and the decoder drops frames until the next
 * keyframe, which may lie past the target. Starting two keyframe intervals early puts one before it.
 */
function preroll(ctx: Ctx): number {
  if (INDEXED_FORMATS.test(ctx.probe.formatName)) return 0;
  return 2 * (ctx.probe.keyframeIntervalSeconds ?? DEFAULT_KEYFRAME_INTERVAL * 2) + 1;
}

/** Where to seek for t: t itself with a seek index; otherwise the preroll earlier, or no seek at all near the start (a seek there can skip the first keyframe). */
function earlySeek(ctx: Ctx, t: number): { seek?: number } {
  const early = preroll(ctx);
  if (early === 0) return { seek: t };
  return t - early > 0 ? { seek: t - early } : {};
}

/**
 * The first frame at or after t: an accurate input seek (decodes from the keyframe before t, drops
 * earlier frames); without a seek index, a seek before t and a select at t.
 */
function seekOne(ctx: Ctx, t: number, threads: number): AsyncGenerator<DecodedFrame> {
  const seek = exactSeek(ctx, t);
  const early = preroll(ctx);
  const filters = outputFilters(ctx.probe.width, ctx.probe.height, ctx.size, ctx.bins.outdated);
  return timed(
    ctx,
    source(ctx, {
      ...earlySeek(ctx, seek),
      threads,
      maxFrames: 1,
      // Raw times (-copyts); half a microsecond of slack, as `seek` is the frame's time rounded up.
      filters: early > 0 ? [`select='gte(t,${num(ctx.origin + seek - 5e-7)})'`, ...filters] : filters,
    }),
  );
}

async function* untargeted(ctx: Ctx, frames: AsyncGenerator<RawFrame>): AsyncGenerator<PlacedFrame> {
  for await (const f of timed(ctx, frames)) yield { ...f, requestedSeconds: null };
}

/**
 * Pairs decoded frames (time order, possibly repeated at segment joins) with the requested times:
 * each frame answers the targets in (previous frame, this frame]. Targets after the last decoded
 * frame get the video's last frame, unless the video ends well before its declared duration
 * (truncated: more frames were expected than delivered).
 */
async function* placeOnTargets(
  frames: AsyncGenerator<DecodedFrame>,
  targets: Targets,
  ctx: Ctx,
): AsyncGenerator<PlacedFrame> {
  const n = targetCount(targets);
  let next = 0;
  let last = -Infinity;
  for await (const f of frames) {
    if (f.seconds <= last + TIME_EPSILON) continue;
    let requested: number | null = null;
    while (next < n && targetAt(targets, next) <= f.seconds + TIME_EPSILON) {
      requested ??= targetAt(targets, next);
      next++;
    }
    if (requested === null) continue;
    last = f.seconds;
    yield { ...f, requestedSeconds: requested };
  }
  // Targets left: their frame lies past what was decoded (after a segment's end, or past the last frame).
  while (next < n) {
    const t = targetAt(targets, next);
    let found: DecodedFrame | null = null;
    for await (const f of seekOne(ctx, t, ctx.cores)) found = f;
    if (found && found.seconds > last + TIME_EPSILON) {
      yield { ...found, requestedSeconds: t };
      last = found.seconds;
      while (next < n && targetAt(targets, next) <= found.seconds + TIME_EPSILON) next++;
      continue;
    }
    // Nothing at or after t. Fine at the very end of a video (t between its last frame and its
    // declared end); a video whose frames stop well before its declared duration is truncated.
    const lastPts = await lastFrameTime(ctx);
    const tolerance = Math.max(0.25, ctx.probe.frameRate > 0 ? 3 / ctx.probe.frameRate : 0) + 0.5;
    if (lastPts === null || lastPts >= t - TIME_EPSILON || lastPts < ctx.probe.durationSeconds - tolerance)
      throw new ExtractionError(
        "INPUT_CORRUPT",
        `The video ends early: no frame at ${t} s although it declares ${ctx.probe.durationSeconds} s; the file is probably truncated or damaged.`,
        false,
      );
    if (lastPts > last + TIME_EPSILON)
      for await (const f of seekOne(ctx, lastPts, ctx.cores)) {
        yield { ...f, requestedSeconds: t };
        break;
      }
    return;
  }
}

/** Time of the video's last frame, from the packets of its last seconds (no decoding). */
async function lastFrameTime(ctx: Ctx): Promise<number | null> {
  const from = Math.max(0, ctx.probe.durationSeconds - 10);
  const { stdout } = await runCollect({
    command: ctx.bins.ffprobePath,
    args: [
      "-v",
      "error",
      "-protocol_whitelist",
      "file",
      "-select_streams",
      "v:0",
      "-read_intervals",
      `${from}%`,
      "-show_entries",
      "packet=pts_time",
      "-of",
      "csv=p=0",
      ctx.url,
    ],
    signal: ctx.signal,
    timeoutSeconds: 60,
  });
  const times = stdout
    .split("\n")
    .map((l) => Number.parseFloat(l))
    .filter((x) => Number.isFinite(x));
  return times.length > 0 ? Math.round((Math.max(...times) - ctx.origin) * 1e6) / 1e6 : null;
}
