import type { AnimatedPreviewOptions, ContactSheetOptions, StoryboardOptions } from "@vp/domain";

/**
 * Where each preview takes its pictures and how they are laid out: pure arithmetic on the probed
 * duration, frame rate and size, so every rule is tested without ffmpeg.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A storyboard of about this many tiles whatever the video's length (seek-bar thumbnails every few seconds). */
export const STORYBOARD_MIN_TILES = 50;
export const STORYBOARD_MAX_TILES = 200;
/** Seconds of video per tile before the bounds apply: 10 min gives 120 tiles, 1 h gives 200. */
const SECONDS_PER_TILE = 5;

const even = (n: number): number => Math.max(2, 2 * Math.round(n / 2));
const ms = (n: number): number => Math.round(n * 1000) / 1000;

/** Tile height keeping the display aspect ratio, even (what the encoders need). */
export const tileHeightFor = (tileWidth: number, srcW: number, srcH: number): number => even((tileWidth * srcH) / srcW);

export interface StoryboardPlan {
  readonly intervalSeconds: number;
  /** Targets requested: span.start + k * interval, k < count. */
  readonly count: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
  readonly columns: number;
  /** Rows per sheet: all tiles on one sheet when they fit in `rows` rows. */
  readonly rows: number;
  readonly sheets: number;
}

/**
 * One tile per interval. Without an interval asked for: about one every 5 s, at least 50 and at most
 * 200 tiles, never closer than a frame apart.
 */
export function planStoryboard(
  o: StoryboardOptions,
  span: Span,
  video: { readonly width: number; readonly height: number; readonly frameRate: number },
): StoryboardPlan {
  const length = span.end - span.start;
  let interval: number;
  if (o.intervalSeconds !== undefined) interval = o.intervalSeconds;
  else {
    const wanted = Math.min(
      STORYBOARD_MAX_TILES,
      Math.max(STORYBOARD_MIN_TILES, Math.round(length / SECONDS_PER_TILE)),
    );
    const frames = video.frameRate > 0 ? Math.floor(length * video.frameRate) : wanted;
    interval = length / Math.max(1, Math.min(wanted, frames));
  }
  interval = Math.max(0.001, ms(interval));
  const count = Math.max(1, Math.ceil(length / interval - 1e-9));
  const columns = Math.min(o.columns, count);
  const rowsNeeded = Math.ceil(count / columns);
  const rows = Math.min(o.rows, rowsNeeded);
  return {
    intervalSeconds: interval,
    count,
    tileWidth: o.tileWidth,
    tileHeight: tileHeightFor(o.tileWidth, video.width, video.height),
    columns,
    rows,
    sheets: Math.ceil(count / (columns * rows)),
  };
}

/** Evenly spread instants, each in the middle of its share of the span (never the first, often black, frame). */
export const spreadTimes = (span: Span, n: number): number[] =>
  Array.from({ length: n }, (_, i) => span.start + ((i + 0.5) * (span.end - span.start)) / n);

export interface ContactSheetPlan {
  readonly times: readonly number[];
  readonly columns: number;
  readonly rows: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
  /** Pixels between tiles and around the grid. */
  readonly gap: number;
  /** Height of the header band above the grid. */
  readonly headerHeight: number;
  readonly fontSize: number;
}

export function planContactSheet(
  o: ContactSheetOptions,
  span: Span,
  video: { readonly width: number; readonly height: number; readonly frameRate: number },
): ContactSheetPlan {
  const frames = video.frameRate > 0 ? Math.max(1, Math.floor((span.end - span.start) * video.frameRate)) : o.count;
  const count = Math.min(o.count, frames);
  const columns = Math.min(o.columns, count);
  const fontSize = Math.max(12, Math.round(o.tileWidth / 16));
  return {
    times: spreadTimes(span, count),
    columns,
    rows: Math.ceil(count / columns),
    tileWidth: o.tileWidth,
    tileHeight: tileHeightFor(o.tileWidth, video.width, video.height),
    gap: 6,
    headerHeight: Math.round(fontSize * 4.2),
    fontSize,
  };
}

export interface AnimatedPlan {
  /** Clip starts and lengths (seconds on the video's timeline). */
  readonly clips: readonly Span[];
  readonly width: number;
  readonly fps: number;
}

/** Clips at evenly spread points, each `clipSeconds` long (shorter when the video is), or the one range asked for. */
export function planAnimated(o: AnimatedPreviewOptions, span: Span): AnimatedPlan {
  const width = o.width;
  if (o.fromSeconds !== undefined && o.toSeconds !== undefined)
    return { clips: [{ start: o.fromSeconds, end: Math.min(o.toSeconds, span.end) }], width, fps: o.fps };
  const length = span.end - span.start;
  const clip = Math.min(o.clipSeconds, length / o.clips);
  const clips = spreadTimes(span, o.clips).map((mid) => {
    const start = ms(Math.max(span.start, Math.min(span.end - clip, mid - clip / 2)));
    return { start, end: ms(start + clip) };
  });
  return { clips, width, fps: o.fps };
}
