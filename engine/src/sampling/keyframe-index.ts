import type { KeyframeIndexRecord } from "@vp/domain";
import { TIME_EPSILON } from "./targets.js";

/** Longest stored index (characters): with the rest of the video's record, far below DynamoDB's 400 KB item. */
export const MAX_STORED_INDEX_CHARS = 96 * 1024;

/**
 * Every keyframe of a video, from its packets: where a decode can start, and how many frames
 * lie between a keyframe and any later time. Times are seconds on the options' timeline
 * (microsecond precision), ascending; `frames[i]` is keyframe i's number in decode order.
 */
export class KeyframeIndex {
  constructor(
    readonly times: readonly number[],
    readonly frames: readonly number[],
    /** Frames (packets) in the whole stream. */
    readonly frameCount: number,
    /** Time of the last frame. */
    readonly lastFrameSeconds: number,
  ) {}

  get count(): number {
    return this.times.length;
  }

  /** Index of the keyframe a decode for t starts from: the last one at or before t (the first one for earlier t). */
  before(t: number): number {
    let lo = 0;
    let hi = this.times.length - 1;
    if (hi < 0 || t < (this.times[0] as number)) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.times[mid] as number) <= t + TIME_EPSILON) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Time of keyframe i. */
  at(i: number): number {
    return this.times[i] as number;
  }

  /**
   * Frames a decoder goes through from keyframe i up to the frame at or after t, both included:
   * interpolated inside the keyframe interval from its frame count (exact at its ends).
   */
  framesTo(i: number, t: number): number {
    const k = this.at(i);
    const f0 = this.frames[i] as number;
    const nextTime = this.times[i + 1] ?? this.lastFrameSeconds;
    const nextFrame = this.frames[i + 1] ?? this.frameCount;
    const span = nextTime - k;
    const inInterval = Math.max(0, nextFrame - f0);
    if (!(span > 0) || t <= k) return 1;
    return 1 + Math.min(inInterval, Math.ceil(((t - k) / span) * inInterval - 1e-9));
  }

  /** Frames a decode from the keyframe before `from` goes through up to the frame at or after `to`. */
  framesBetween(from: number, to: number): number {
    const i = this.before(from);
    const j = this.before(to);
    return (this.frames[j] as number) - (this.frames[i] as number) + this.framesTo(j, to);
  }

  /** Frames of keyframe interval i (from it to the next keyframe). */
  intervalFrames(i: number): number {
    return Math.max(1, (this.frames[i + 1] ?? this.frameCount) - (this.frames[i] as number));
  }

  /** Keyframe times in [start, end). */
  within(start: number, end: number): number[] {
    return this.times.filter((k) => k >= start - TIME_EPSILON && k < end - TIME_EPSILON);
  }

  /** Mean seconds between keyframes, or null with fewer than two. */
  meanInterval(): number | null {
    return this.count >= 2 ? (this.at(this.count - 1) - this.at(0)) / (this.count - 1) : null;
  }

  /** The stored form; "omitted" when longer than `maxChars`. */
  toRecord(maxChars = MAX_STORED_INDEX_CHARS): KeyframeIndexRecord {
    const parts: string[] = [];
    let prevT = 0;
    let prevF = 0;
    let length = 0;
    for (let i = 0; i < this.times.length; i++) {
      const us = Math.round(this.at(i) * 1e6);
      const f = this.frames[i] as number;
      const part = `${(us - prevT).toString(36)}.${(f - prevF).toString(36)}`;
      length += part.length + 1;
      if (length > maxChars) return { encoding: "omitted", keyframeCount: this.count };
      parts.push(part);
      prevT = us;
      prevF = f;
    }
    return {
      encoding: "d36",
      data: parts.join(","),
      frameCount: this.frameCount,
      lastFrameSeconds: this.lastFrameSeconds,
    };
  }

  /** The index from its stored form; null when omitted or unreadable (then it is read from the file). */
  static fromRecord(r: KeyframeIndexRecord | undefined): KeyframeIndex | null {
    if (r?.encoding !== "d36") return null;
    const times: number[] = [];
    const frames: number[] = [];
    let t = 0;
    let f = 0;
    for (const part of r.data === "" ? [] : r.data.split(",")) {
      const [dt, df] = part.split(".");
      const a = Number.parseInt(dt ?? "", 36);
      const b = Number.parseInt(df ?? "", 36);
      if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
      t += a;
      f += b;
      times.push(t / 1e6);
      frames.push(f);
    }
    return new KeyframeIndex(times, frames, r.frameCount, r.lastFrameSeconds);
  }
}
