import { describe, expect, it } from "vitest";
import { planDecodeSpans, type DecodeSpansInput } from "./decode-spans.js";

const us = 1_000_000n;

/** The script's entries: inpoint/outpoint and each entry's start (sum of durations), µs. */
function entriesOf(script: string): { inpoint: bigint; outpoint: bigint; start: bigint }[] {
  let start = 0n;
  return script
    .split(/\n(?=file )/)
    .slice(1)
    .map((b) => {
      const field = (k: string): bigint | null => {
        const m = new RegExp(`^${k} (\\d+)\\.(\\d{6})$`, "m").exec(b);
        return m ? BigInt(m[1] as string) * us + BigInt(m[2] as string) : null;
      };
      const e = { inpoint: field("inpoint") as bigint, outpoint: field("outpoint") as bigint, start };
      start += field("duration") ?? 0n;
      return e;
    });
}

const rescale = (a: bigint, mul: bigint, div: bigint): bigint => (a * mul * 2n + div) / (2n * div);

/**
 * Runs the script as ffmpeg would on a constant-rate stream with keyframes every `gop` frames:
 * each entry decodes from the keyframe before its inpoint to its outpoint, shifted by
 * rescale(start − inpoint); the select keeps frames (evaluated on the same doubles); kept frames
 * are located back. Returns the true times (µs) of the frames kept, in order.
 */
function simulate(x: DecodeSpansInput, frameTicks: bigint, gop: bigint): number[] {
  const plan = planDecodeSpans(x);
  if (!plan) throw new Error("not plannable");
  const num = BigInt(x.timeBase.num);
  const den = BigInt(x.timeBase.den);
  const m = /^select='gte\(t,([\d.]+)\)\*if\(isnan\(prev_t\),1,gt\(floor\(\(t-([\d.]+)\+([\d.]+)\)\/([\d.]+)\)/.exec(
    plan.select,
  );
  if (!m) throw new Error(`unexpected select ${plan.select}`);
  const [half, start, eps, step] = m.slice(1).map(Number) as [number, number, number, number];
  const k = (t: number): number => Math.floor((t - start + eps) / step);
  const kept: number[] = [];
  let prev = Number.NaN;
  for (const e of entriesOf(plan.script)) {
    const shift = rescale(e.start - e.inpoint, den, num * us);
    const inTick = rescale(e.inpoint, den, num * us);
    const keyframe = (inTick / frameTicks / gop) * gop * frameTicks;
    for (let tick = keyframe; tick * num * us < e.outpoint * den; tick += frameTicks) {
      const t = Number(tick + shift) * (x.timeBase.num / x.timeBase.den);
      if (t >= half && (Number.isNaN(prev) || k(t) > k(prev))) {
        const at = plan.locate(Number(rescale(tick + shift, num * us, den)));
        if (at) kept.push(at.micros);
      }
      prev = t;
    }
  }
  return kept;
}

/** Keyframe spans of arithmetic targets, as the engine groups them. */
function spansOf(start: number, step: number, count: number, period: number) {
  const spans: { first: number; last: number }[] = [];
  for (let i = 0; i < count; i++) {
    const t = Math.round((start + i * step) * 1e6) / 1e6;
    const open = spans.at(-1);
    if (open && Math.floor(open.first / period) === Math.floor(t / period)) open.last = t;
    else spans.push({ first: t, last: t });
  }
  return spans;
}

const base = {
  url: "file:/v/in.mp4",
  formatName: "mov,mp4,m4a,3gp,3g2,mj2",
  originMicros: 0,
  durationSeconds: 60,
  marginSeconds: 0.1,
};

describe("planDecodeSpans", () => {
  it.each([
    ["every 1 s, 30 fps in 1/15360, keyframe every 8 s", { num: 1, den: 15360 }, 512n, 240n, 0, 1, 50],
    ["every 0.45 s, 30 fps in 1/15360, keyframe every 2 s", { num: 1, den: 15360 }, 512n, 60n, 0.2, 0.45, 100],
    [
      "60 evenly spaced over 60 s (step 1), 25 fps in 1/1000, keyframe every 2 s",
      { num: 1, den: 1000 },
      40n,
      50n,
      0,
      1,
      60,
    ],
    ["every 0.7 s from 1.3 s, 24 fps in 1/12288", { num: 1, den: 12288 }, 512n, 48n, 1.3, 0.7, 70],
  ] as const)(
    "%s: each target's frame is the first at or after it",
    (_, timeBase, frameTicks, gop, start, step, count) => {
      const period = Number((gop * frameTicks * BigInt(timeBase.num)) / 1n) / timeBase.den;
      const spans = spansOf(start, step, count, period);
      expect(spans.length).toBeLessThan(count);
      const kept = simulate({ ...base, timeBase, start, step, spans }, frameTicks, gop);
      const frameMicros = (i: bigint): number =>
        Number(rescale(i * frameTicks * BigInt(timeBase.num), us, BigInt(timeBase.den)));
      let i = 0;
      for (let j = 0; j < count; j++) {
        const target = Math.round((start + j * step) * 1e6);
        // The true answer: the first frame at or after the target.
        let n = 0n;
        while (frameMicros(n) < target) n++;
        while (i < kept.length && (kept[i] as number) < target) i++; // frames answering no target (a span's keyframe)
        expect(kept[i]).toBe(frameMicros(n));
      }
    },
  );

  it("declines a step no small whole number of ticks can carry, and a video too long to space", () => {
    const spans = [{ first: 0, last: 1 }];
    const x = { ...base, timeBase: { num: 1, den: 15360 }, start: 0, spans };
    expect(planDecodeSpans({ ...x, step: Math.PI })).toBeNull();
    expect(planDecodeSpans({ ...x, step: 1, durationSeconds: 40_000 })).toBeNull();
    expect(planDecodeSpans({ ...x, step: 1 })).not.toBeNull();
  });
});
