import { describe, expect, it } from "vitest";
import { selectBest, type Candidate } from "./best-select.js";
import { differenceHash, hammingDistance, pictureStats } from "./image-stats.js";

const W = 64;
const H = 36;

/** A grey picture from a function of (x, y). */
const picture = (f: (x: number, y: number) => number): Uint8Array => {
  const px = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) px[y * W + x] = Math.max(0, Math.min(255, Math.round(f(x, y))));
  return px;
};
/** Sharp content: a checkerboard whose phase and cell size depend on `seed` (different scenes). */
const sharp = (seed: number, gain = 1) =>
  picture(
    (x, y) =>
      128 +
      gain *
        (((Math.floor((x + seed * 5) / (6 + (seed % 4) * 2)) + Math.floor(y / (6 + (seed % 3) * 2))) % 2) * 2 - 1) *
        90,
  );
const blurred = (seed: number) => {
  const src = sharp(seed);
  return picture((x, y) => {
    let s = 0;
    let n = 0;
    for (let dy = -2; dy <= 2; dy++)
      for (let dx = -2; dx <= 2; dx++) {
        const xx = Math.min(W - 1, Math.max(0, x + dx));
        const yy = Math.min(H - 1, Math.max(0, y + dy));
        s += src[yy * W + xx] as number;
        n++;
      }
    return s / n;
  });
};
const candidate = (seconds: number, px: Uint8Array): Candidate => ({ ...pictureStats(px, W, H), seconds });

describe("picture measures", () => {
  it("tell black, flat, sharp and blurred pictures apart", () => {
    const black = pictureStats(
      picture(() => 3),
      W,
      H,
    );
    const flat = pictureStats(
      picture(() => 140),
      W,
      H,
    );
    const s = pictureStats(sharp(1), W, H);
    const b = pictureStats(blurred(1), W, H);
    expect(black.meanLuma).toBeLessThan(10);
    expect(flat.lumaStd).toBe(0);
    expect(s.lumaStd).toBeGreaterThan(80);
    expect(b.laplacianVariance).toBeLessThan(s.laplacianVariance / 10);
    expect(s.entropy).toBeCloseTo(1, 1);
  });

  it("hash the same picture the same, different pictures apart", () => {
    expect(differenceHash(sharp(2), W, H)).toBe(differenceHash(sharp(2), W, H));
    expect(hammingDistance(differenceHash(sharp(1), W, H), differenceHash(sharp(2), W, H))).toBeGreaterThan(10);
  });
});

describe("choosing the best frames", () => {
  // One candidate a second: black, good scene A, blurred, fade, good B, a still (three identical
  // frames), flat grey, good C, good D.
  const candidates: Candidate[] = [
    candidate(
      0,
      picture(() => 2),
    ),
    candidate(1, sharp(1)),
    candidate(2, blurred(1)),
    candidate(3, sharp(5, 0.3)),
    candidate(4, sharp(2)),
    candidate(5, sharp(3)),
    candidate(6, sharp(3)),
    candidate(7, sharp(3)),
    candidate(
      8,
      picture(() => 128),
    ),
    candidate(9, sharp(6)),
    candidate(10, sharp(7)),
  ];

  it("never picks a bad frame, says why each was left, takes one per scene, spread", () => {
    const s = selectBest(candidates, 4, { start: 0, end: 11 });
    const times = s.chosen.map((c) => c.timestampSeconds);
    expect(times).toHaveLength(4);
    expect(times.every((t) => [1, 4, 5, 9, 10].includes(t))).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(s.chosen.map((c) => c.scores.scene)).size).toBe(4);
    const why = new Map(s.rejected.map((r) => [r.timestampSeconds, r.reason]));
    expect(why.get(0)).toBe("BLACK");
    expect(why.get(2)).toBe("BLURRED");
    expect(why.get(3)).toBe("FADE");
    expect(why.get(8)).toBe("UNIFORM");
    // The still: one of its three frames at most; the others are duplicates or its scene's spares.
    expect(times.filter((t) => t >= 5 && t <= 7).length).toBeLessThanOrEqual(1);
    expect([why.get(6), why.get(7)].every((r) => r === "DUPLICATE" || r === "SAME_SCENE")).toBe(true);
    expect(s.chosen.every((c) => c.scores.score > 0.5)).toBe(true);
  });

  it("asked for more than there are good pictures: fewer, never a bad one or a duplicate", () => {
    const s = selectBest(candidates, 10, { start: 0, end: 11 });
    expect(s.chosen.map((c) => c.timestampSeconds)).toEqual([1, 4, 5, 9, 10]);
  });

  it("nothing good: nothing chosen", () => {
    expect(
      selectBest(
        [
          candidate(
            0,
            picture(() => 0),
          ),
          candidate(
            1,
            picture(() => 200),
          ),
        ],
        2,
        { start: 0, end: 2 },
      ).chosen,
    ).toEqual([]);
  });
});
