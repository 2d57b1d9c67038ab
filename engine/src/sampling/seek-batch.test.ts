import { describe, expect, it } from "vitest";
import { planSeekBatch, type SeekBatchInput } from "./seek-batch.js";

const base: SeekBatchInput = {
  url: "file:/v/in.mp4",
  formatName: "mov,mp4,m4a,3gp,3g2,mj2",
  targets: [0.5, 2],
  originMicros: 0,
  timeBase: { num: 1, den: 15360 },
  durationSeconds: 5,
  marginSeconds: 0.1,
};

/** The script's entries as the concat demuxer reads them: inpoint/outpoint and each entry's start (sum of durations), µs. */
function entriesOf(script: string): { inpoint: bigint; outpoint: bigint; start: bigint }[] {
  const blocks = script.split(/\n(?=file )/).slice(1);
  let start = 0n;
  return blocks.map((b) => {
    const field = (k: string): bigint | null => {
      const m = new RegExp(`^${k} (-?)(\\d+)\\.(\\d{6})$`, "m").exec(b);
      return m ? (m[1] ? -1n : 1n) * (BigInt(m[2] as string) * 1_000_000n + BigInt(m[3] as string)) : null;
    };
    const e = { inpoint: field("inpoint") as bigint, outpoint: field("outpoint") as bigint, start };
    start += field("duration") ?? 0n;
    return e;
  });
}

/** av_rescale_q's rounding: nearest, halves away from zero. */
const rescale = (a: bigint, mul: bigint, div: bigint): bigint => {
  const x = a * mul;
  const r = (x < 0n ? -x : x) * 2n + div;
  const q = r / (2n * div);
  return x < 0n ? -q : q;
};

/**
 * What ffmpeg does with the script, frame by frame: entry k decodes from 5 s before its inpoint to its
 * outpoint, shifting pts by rescale(start − inpoint); the select (evaluated here on the same doubles
 * ffmpeg uses) keeps frames; settb=AVTB rescales them to µs for locate. Returns, per target, what the
 * batch answers and the frame a single accurate seek gives (the first tick at or after the
 * requested microsecond).
 */
function simulate(input: SeekBatchInput, frameTicks: (from: bigint, to: bigint) => bigint[]) {
  const batch = planSeekBatch(input);
  if (!batch) throw new Error("not batchable");
  const num = BigInt(input.timeBase.num);
  const den = BigInt(input.timeBase.den);
  const us = 1_000_000n;
  const m = /^select='gte\(t,(\d+)\/2\)\*gte\(t\+([\d.]+),/.exec(batch.select);
  const [spacing, eps] = [Number(m?.[1]), Number(m?.[2])];
  const keep = (t: number, prev: number): boolean => {
    const boundary = spacing * Math.floor(t / spacing + 0.5);
    return t >= spacing / 2 && t + eps >= boundary && (Number.isNaN(prev) || prev + eps < boundary);
  };
  let prev = Number.NaN;
  const answered = new Map<number, ReturnType<typeof batch.locate>[]>();
  for (const e of entriesOf(batch.script)) {
    const shift = rescale(e.start - e.inpoint, den, num * us);
    for (const tick of frameTicks(
      rescale(e.inpoint, den, num * us) - (5n * den) / num,
      rescale(e.outpoint, den, num * us),
    )) {
      const raw = tick + shift;
      const t = Number(raw) * (input.timeBase.num / input.timeBase.den);
      if (keep(t, prev)) {
        const l = batch.locate(Number(rescale(raw, num * us, den)));
        const k = l?.target ?? -1;
        answered.set(k, [...(answered.get(k) ?? []), l]);
      }
      prev = t;
    }
  }
  return input.targets.map((t, k) => {
    const want = BigInt(input.originMicros) + BigInt(Math.floor(t * 1e6 + 1e-3));
    const expected = frameTicks((want * den) / (num * us) - 1n, (want * den) / (num * us) + (10n * den) / num).find(
      (tick) => 2n * tick * num * us >= (2n * want - 1n) * den,
    );
    return {
      kept: answered.get(k) ?? [],
      strays: answered.get(-1)?.length ?? 0,
      expectedMicros: expected === undefined ? null : Number(rescale(expected, num * us, den)),
    };
  });
}

const grid =
  (step: bigint, offset = 0n) =>
  (from: bigint, to: bigint) => {
    const out: bigint[] = [];
    for (let t = from - ((((from - offset) % step) + step) % step); t < to; t += step) out.push(t);
    return out;
  };

describe("planSeekBatch", () => {
  it("a lead-in, then one entry per target: the input's own format only, inpoint at the target, outpoint past it", () => {
    const b = planSeekBatch(base);
    expect(b?.script).toBe(
      [
        "ffconcat version 1.0",
        "file 'file:/v/in.mp4'",
        "option format_whitelist 'mov,mp4,m4a,3gp,3g2,mj2'",
        "inpoint 0.500000",
        "outpoint 0.500001",
        "duration 13.000000",
        "file 'file:/v/in.mp4'",
        "option format_whitelist 'mov,mp4,m4a,3gp,3g2,mj2'",
        "inpoint 0.500000",
        "outpoint 0.600000",
        "duration 13.000000",
        "file 'file:/v/in.mp4'",
        "option format_whitelist 'mov,mp4,m4a,3gp,3g2,mj2'",
        "inpoint 2.000000",
        "outpoint 2.100000",
        "",
      ].join("\n"),
    );
    expect(b?.select).toBe(
      "select='gte(t,13/2)*gte(t+0.000032552,13*floor(t/13+0.5))*if(isnan(prev_t),1,lt(prev_t+0.000032552,13*floor(t/13+0.5)))'",
    );
  });

  it("quotes the path so a quote in it cannot end the entry", () => {
    const b = planSeekBatch({ ...base, url: "file:/v/it's.mp4" });
    expect(b?.script).toContain("file 'file:/v/it'\\''s.mp4'");
  });

  it.each([
    ["a time base finer than a microsecond", { timeBase: { num: 1, den: 10_000_000 } }],
    ["a newline in the path", { url: "file:/v/a\nfile '/etc/passwd'" }],
    ["a video too long to space entries under ffmpeg's timestamp-jump limit", { durationSeconds: 30_000 }],
    ["no targets", { targets: [] }],
  ])("declines %s", (_, change) => {
    expect(planSeekBatch({ ...base, ...change })).toBeNull();
  });

  it.each([
    ["mp4, 1/15360, 30 fps", { num: 1, den: 15360 }, 0, grid(512n)],
    [
      "matroska, 1/1000, 30 fps (ms-rounded frames)",
      { num: 1, den: 1000 },
      0,
      (a: bigint, b: bigint) =>
        grid(1n)(a, b).filter((ms) => Math.round(Math.round(Number(ms) * 0.03) / 0.03) === Number(ms)),
    ],
    ["mpeg-ts, 1/90000, starting at 1.466667 s", { num: 1, den: 90000 }, 1_466_667, grid(3000n, 132000n)],
    ["a 1001/30000 time base (29.97 fps, one tick a frame)", { num: 1001, den: 30000 }, 0, grid(1n)],
    ["1/600 (QuickTime), 24 fps", { num: 1, den: 600 }, 0, grid(25n)],
  ] as const)(
    "%s: each target gets exactly the frame a single accurate seek gives",
    (_, timeBase, originMicros, frames) => {
      const targets = [0, 0.0333, 0.1, 0.5, 0.714286, 1.428571, 2, 2.0001, 3.01, 4.5, 4.9];
      const results = simulate({ ...base, timeBase, originMicros, targets }, frames);
      for (const [k, r] of results.entries()) {
        expect(r.kept).toEqual([{ target: k, micros: r.expectedMicros }]);
        expect(r.strays).toBe(0);
      }
    },
  );

  it("a target with no frame before its outpoint is left unanswered (the caller seeks it alone)", () => {
    // Frames every 2 s: nothing within 0.1 s after 0.5.
    const [r] = simulate({ ...base, targets: [0.5] }, grid(30720n));
    expect(r?.kept).toEqual([]);
    expect(r?.strays).toBe(0);
  });
});
