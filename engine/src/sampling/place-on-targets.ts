import type { DecodedFrame } from "../ffmpeg/frame-source.js";
import { ExtractionError, type ProbeResult } from "../types.js";
import { targetAt, targetCount, TIME_EPSILON, type Targets } from "./targets.js";

/** A frame in the archive, with the time it answers (null for KEYFRAMES and SCENES). */
export interface PlacedFrame extends DecodedFrame {
  readonly requestedSeconds: number | null;
}

/** What pairing needs besides the frames: the probe's duration and rate, and two ways to look further. */
export interface PlacementDeps {
  readonly probe: Pick<ProbeResult, "durationSeconds" | "frameRate">;
  /** The first frame at or after t, on its own (an accurate seek); nothing when there is none. */
  seekOne(t: number): AsyncGenerator<DecodedFrame>;
  /** Time of the video's last frame (seconds, video timeline), or null when none is found. */
  lastFrameTime(): Promise<number | null>;
}

/**
 * Pairs decoded frames (time order, possibly repeated at segment joins) with the requested times:
 * each frame answers the targets in (previous frame, this frame]. Targets after the last decoded
 * frame get the video's last frame, unless the video ends well before its declared duration
 * (truncated: more frames were expected than delivered).
 */
export async function* placeOnTargets(
  frames: AsyncGenerator<DecodedFrame>,
  targets: Targets,
  deps: PlacementDeps,
): AsyncGenerator<PlacedFrame> {
  const { probe } = deps;
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
    for await (const f of deps.seekOne(t)) found = f;
    if (found && found.seconds > last + TIME_EPSILON) {
      yield { ...found, requestedSeconds: t };
      last = found.seconds;
      while (next < n && targetAt(targets, next) <= found.seconds + TIME_EPSILON) next++;
      continue;
    }
    // Nothing at or after t. Fine at the very end of a video (t between its last frame and its
    // declared end); a video whose frames stop well before its declared duration is truncated.
    const lastPts = await deps.lastFrameTime();
    const tolerance = Math.max(0.25, probe.frameRate > 0 ? 3 / probe.frameRate : 0) + 0.5;
    if (lastPts === null || lastPts >= t - TIME_EPSILON || lastPts < probe.durationSeconds - tolerance)
      throw new ExtractionError(
        "INPUT_CORRUPT",
        `The video ends early: no frame at ${t} s although it declares ${probe.durationSeconds} s; the file is probably truncated or damaged.`,
        false,
      );
    if (lastPts > last + TIME_EPSILON)
      for await (const f of deps.seekOne(lastPts)) {
        yield { ...f, requestedSeconds: t };
        break;
      }
    return;
  }
}
