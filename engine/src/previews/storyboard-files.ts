import type { StoryboardPlan } from "./layout.js";

/** One tile as laid out on its sheet, with the part of the timeline it stands for. */
export interface StoryboardTile {
  readonly sheet: string;
  readonly x: number;
  readonly y: number;
  /** Cue start and end (seconds on the video's timeline): contiguous, covering the whole span. */
  readonly start: number;
  readonly end: number;
  /** The decoded frame's true time. */
  readonly timestampSeconds: number;
}

export const sheetName = (index: number, sheets: number, ext: string): string =>
  sheets === 1 ? `storyboard.${ext}` : `storyboard_${String(index + 1).padStart(3, "0")}.${ext}`;

/**
 * Tiles from the frames the decoder kept, in order. Each frame is the first at or after its target
 * (span.start + k * interval); its cue starts at that target (the first at span.start) and ends where
 * the next kept frame's begins, the last at the span's end: a frame that stood for several targets
 * (a pause in a variable-rate recording) covers them all, and no instant is left without a tile.
 */
export function layTiles(
  plan: StoryboardPlan,
  spanStart: number,
  spanEnd: number,
  frameTimes: readonly number[],
  ext: string,
): StoryboardTile[] {
  const perSheet = plan.columns * plan.rows;
  const sheets = Math.ceil(frameTimes.length / perSheet);
  const starts = frameTimes.map((t, i) =>
    i === 0
      ? spanStart
      : Math.min(spanEnd, spanStart + Math.floor((t - spanStart + 1e-6) / plan.intervalSeconds) * plan.intervalSeconds),
  );
  return frameTimes.map((t, i) => {
    const onSheet = i % perSheet;
    return {
      sheet: sheetName(Math.floor(i / perSheet), sheets, ext),
      x: (onSheet % plan.columns) * plan.tileWidth,
      y: Math.floor(onSheet / plan.columns) * plan.tileHeight,
      start: round3(starts[i] as number),
      end: round3(i + 1 < starts.length ? (starts[i + 1] as number) : spanEnd),
      timestampSeconds: t,
    };
  });
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** WebVTT's timestamp: hours always shown (every player's parser accepts it), milliseconds exact. */
export function vttTime(seconds: number): string {
  const total = Math.round(seconds * 1000);
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const milli = total % 1000;
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${p(h)}:${p(m)}:${p(s)}.${p(milli, 3)}`;
}

/** storyboard.vtt: one cue per tile, pointing at its rectangle with a media fragment. */
export function storyboardVtt(tiles: readonly StoryboardTile[], plan: StoryboardPlan): string {
  const cues = tiles
    .filter((t) => Math.round(t.end * 1000) > Math.round(t.start * 1000))
    .map(
      (t) =>
        `${vttTime(t.start)} --> ${vttTime(t.end)}\n${t.sheet}#xywh=${t.x},${t.y},${plan.tileWidth},${plan.tileHeight}`,
    );
  return `WEBVTT\n\n${cues.join("\n\n")}\n`;
}

/**
 * storyboard.json in the shape Mux documents (`url`, `tile_width`, `tile_height`, `duration`,
 * `tiles: [{ start, x, y }]`); with several sheets each tile also names its `url`.
 */
export function storyboardJson(tiles: readonly StoryboardTile[], plan: StoryboardPlan, duration: number): object {
  const several = plan.sheets > 1 || new Set(tiles.map((t) => t.sheet)).size > 1;
  return {
    url: tiles[0]?.sheet ?? null,
    tile_width: plan.tileWidth,
    tile_height: plan.tileHeight,
    duration: round3(duration),
    tiles: tiles.map((t) => ({ start: t.start, x: t.x, y: t.y, ...(several ? { url: t.sheet } : {}) })),
  };
}
