import { hammingDistance, thumbDifference, type PictureStats } from "./image-stats.js";

/**
 * Chooses the N frames a person would pick from scored candidates. Bad frames are rejected first and
 * never come back (black, near-uniform, fading, blurred); the rest are ranked by a score, at most
 * one per scene when there are enough scenes, spread over the video, no two near-duplicates.
 * Thresholds were measured on generated videos (engine/test/previews-best.test.ts) and on the
 * bench video: they are relative to the video's own typical frame where they can be.
 */
export interface Candidate extends PictureStats {
  /** True time on the video's timeline (seconds). */
  readonly seconds: number;
}

export type RejectionReason = "BLACK" | "UNIFORM" | "FADE" | "BLURRED" | "DUPLICATE" | "SAME_SCENE" | "TOO_CLOSE";

export interface Rejection {
  readonly timestampSeconds: number;
  readonly reason: RejectionReason;
  readonly detail: string;
}

export interface Scores {
  readonly score: number;
  readonly meanLuma: number;
  readonly lumaStd: number;
  readonly laplacianVariance: number;
  readonly entropy: number;
  readonly scene: number;
  readonly hash: string;
}

export interface Chosen {
  readonly timestampSeconds: number;
  readonly scores: Scores;
}

export interface Selection {
  readonly chosen: readonly Chosen[];
  readonly rejected: readonly Rejection[];
  readonly scenes: number;
}

/** Below this mean luma (0..255) a frame is black, whatever the video. */
export const BLACK_MEAN = 28;
/** Below this luma standard deviation a frame is one flat colour (a title card's background, a white flash). */
export const UNIFORM_STD = 12;
/**
 * Contrast below this share of the video's typical frame: deep in a fade (or a dim, washed-out
 * frame). Measured: mid-fade frames of the test videos fall to 0.3-0.45, legitimately soft pictures
 * (a fractal, colour ramps) stay above 0.5; the neighbour rule below catches the fade's start.
 */
export const FADE_CONTRAST_SHARE = 0.45;
/** Between neighbours showing the same picture, a brightness change above this share: a fade in progress. */
export const FADE_STEP_SHARE = 0.08;
/** Laplacian variance below this share of the typical frame's: blurred (motion, focus, a blur effect). */
export const BLUR_SHARE = 0.35;
/**
 * Two frames are the same picture when their hashes differ by at most this many bits (of 64) and
 * their 16x16 thumbnails by less than DUPLICATE_THUMB_DIFF grey levels on average. Measured: a still
 * shot's frames differ by 0 bits / 0 levels, moments of one moving shot by 1-6 bits but 7-13
 * levels (the hash alone would call a whole single-shot video one picture).
 */
export const DUPLICATE_BITS = 6;
export const DUPLICATE_THUMB_DIFF = 5;
/** A new scene: the structure changes by more than this many hash bits, or the thumbnail by this much. */
export const SCENE_BITS = 18;
export const SCENE_THUMB_DIFF = 28;

const r = (n: number, d = 3): number => Math.round(n * 10 ** d) / 10 ** d;
const s = (n: number): string => `${r(n)} s`;

/** The upper quartile: the video's typical good frame (a few bad stretches do not move it). */
function typical(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.75))] as number;
}

/** Scene index per candidate, in time order: a new scene at each structural change. */
export function scenesOf(c: readonly Candidate[]): number[] {
  const out: number[] = [];
  let scene = 0;
  c.forEach((x, i) => {
    const prev = c[i - 1];
    if (
      prev &&
      (hammingDistance(prev.hash, x.hash) > SCENE_BITS || thumbDifference(prev.thumb, x.thumb) > SCENE_THUMB_DIFF)
    )
      scene++;
    out.push(scene);
  });
  return out;
}

export function selectBest(
  candidates: readonly Candidate[],
  n: number,
  span: { start: number; end: number },
): Selection {
  const c = [...candidates].sort((a, b) => a.seconds - b.seconds);
  const scene = scenesOf(c);
  const rejected: Rejection[] = [];
  const reject = (x: Candidate, reason: RejectionReason, detail: string): void =>
    void rejected.push({ timestampSeconds: x.seconds, reason, detail });

  // 1. Absolute rules: black and flat frames.
  const lit = c.filter((x) => {
    if (x.meanLuma < BLACK_MEAN) return (reject(x, "BLACK", `mean luma ${r(x.meanLuma, 1)} < ${BLACK_MEAN}`), false);
    if (x.lumaStd < UNIFORM_STD) return (reject(x, "UNIFORM", `luma std ${r(x.lumaStd, 1)} < ${UNIFORM_STD}`), false);
    return true;
  });
  // 2. Relative rules, against the typical lit frame: fades and blur.
  const contrastRef = typical(lit.map((x) => x.lumaStd));
  const sharpRef = typical(lit.map((x) => x.laplacianVariance));
  const index = new Map(c.map((x, i) => [x, i]));
  const fading = (x: Candidate): string | null => {
    const i = index.get(x) as number;
    for (const j of [i - 1, i + 1]) {
      const y = c[j];
      // A flat neighbour (black, one colour) shows no picture to compare with.
      if (
        !y ||
        y.lumaStd < UNIFORM_STD ||
        Math.abs(y.seconds - x.seconds) > 1.5 ||
        hammingDistance(x.hash, y.hash) > SCENE_BITS
      )
        continue;
      const step = Math.abs(y.meanLuma - x.meanLuma) / Math.max(y.meanLuma, x.meanLuma);
      const contrastStep = Math.abs(y.lumaStd - x.lumaStd) / Math.max(y.lumaStd, x.lumaStd);
      if (step > FADE_STEP_SHARE && contrastStep > FADE_STEP_SHARE)
        return `brightness changes ${Math.round(step * 100)}% from the frame at ${s(y.seconds)} while the picture stays the same`;
    }
    return null;
  };
  const good = lit.filter((x) => {
    if (x.lumaStd < FADE_CONTRAST_SHARE * contrastRef)
      return (
        reject(x, "FADE", `contrast ${r(x.lumaStd, 1)} < ${FADE_CONTRAST_SHARE} x the typical ${r(contrastRef, 1)}`),
        false
      );
    const f = fading(x);
    if (f) return (reject(x, "FADE", f), false);
    if (x.laplacianVariance < BLUR_SHARE * sharpRef)
      return (
        reject(
          x,
          "BLURRED",
          `Laplacian variance ${r(x.laplacianVariance, 1)} < ${BLUR_SHARE} x the typical ${r(sharpRef, 1)}`,
        ),
        false
      );
    return true;
  });

  const scoreOf = (x: Candidate): number =>
    0.45 * Math.min(1, Math.log1p(x.laplacianVariance) / Math.log1p(Math.max(1, sharpRef))) +
    0.35 * Math.min(1, x.lumaStd / Math.max(1, contrastRef)) +
    0.2 * (x.entropy / 8);
  const ranked = [...good].sort((a, b) => scoreOf(b) - scoreOf(a) || a.seconds - b.seconds);
  const sceneOf = (x: Candidate): number => scene[index.get(x) as number] as number;
  const distinctScenes = new Set(good.map(sceneOf)).size;
  const minGap = (span.end - span.start) / (2 * n);

  const chosen: Candidate[] = [];
  const why = new Map<Candidate, Rejection>();
  const pass = (onePerScene: boolean, gap: number): void => {
    for (const x of ranked) {
      if (chosen.length >= n) return;
      if (chosen.includes(x)) continue;
      const dup = chosen.find(
        (y) =>
          hammingDistance(x.hash, y.hash) <= DUPLICATE_BITS && thumbDifference(x.thumb, y.thumb) < DUPLICATE_THUMB_DIFF,
      );
      if (dup) {
        why.set(x, {
          timestampSeconds: x.seconds,
          reason: "DUPLICATE",
          detail: `the same picture as the chosen frame at ${s(dup.seconds)}`,
        });
        continue;
      }
      const same = onePerScene ? chosen.find((y) => sceneOf(y) === sceneOf(x)) : undefined;
      if (same) {
        why.set(x, {
          timestampSeconds: x.seconds,
          reason: "SAME_SCENE",
          detail: `its scene already gave the better frame at ${s(same.seconds)}`,
        });
        continue;
      }
      const near = chosen.find((y) => Math.abs(y.seconds - x.seconds) < gap);
      if (near) {
        why.set(x, {
          timestampSeconds: x.seconds,
          reason: "TOO_CLOSE",
          detail: `within ${s(gap)} of the chosen frame at ${s(near.seconds)}`,
        });
        continue;
      }
      chosen.push(x);
      why.delete(x);
    }
  };
  // Relaxed in steps when too few pass: the scene rule first, then the spread; never the quality rules or duplicates.
  pass(distinctScenes >= n, minGap);
  if (chosen.length < n) pass(false, minGap);
  if (chosen.length < n) pass(false, 0);
  for (const x of good) {
    const w = why.get(x);
    if (w && !chosen.includes(x)) rejected.push(w);
  }
  return {
    chosen: chosen
      .sort((a, b) => a.seconds - b.seconds)
      .map((x) => ({
        timestampSeconds: x.seconds,
        scores: {
          score: r(scoreOf(x)),
          meanLuma: r(x.meanLuma, 1),
          lumaStd: r(x.lumaStd, 1),
          laplacianVariance: r(x.laplacianVariance, 1),
          entropy: r(x.entropy),
          scene: sceneOf(x),
          hash: x.hash,
        },
      })),
    rejected: rejected.sort((a, b) => a.timestampSeconds - b.timestampSeconds),
    scenes: new Set(scene).size,
  };
}
