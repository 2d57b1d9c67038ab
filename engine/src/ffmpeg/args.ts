import type { ExtractionOptions, FitMode, ImageFormat } from "@vp/domain";

/**
 * Pure argument builders: (probe facts, options) -> ffmpeg argument arrays. The runner spawns them;
 * tests assert them exactly. Which frames are kept (the select expressions) is sampling/select.ts.
 */

export interface OutputSize {
  /** Scaled picture size. */
  readonly scaleWidth: number;
  readonly scaleHeight: number;
  /** Final size after a COVER crop (equals the scaled size otherwise). */
  readonly width: number;
  readonly height: number;
}

const even = (n: number): number => Math.max(2, Math.round(n));

/**
 * Output size from the upright source size and the request. CONTAIN fits inside the box keeping the
 * aspect ratio (no padding); COVER fills the box and crops the overflow centred; FILL stretches.
 * Never larger than the source unless allowUpscale.
 */
export function outputSize(
  srcW: number,
  srcH: number,
  o: Pick<ExtractionOptions, "width" | "height" | "fit" | "allowUpscale">,
): OutputSize {
  const { width: w, height: h, fit, allowUpscale } = o;
  const capScale = (s: number): number => (allowUpscale ? s : Math.min(s, 1));
  if (w === undefined && h === undefined) return { scaleWidth: srcW, scaleHeight: srcH, width: srcW, height: srcH };
  if (w === undefined || h === undefined) {
    const s = capScale(w !== undefined ? w / srcW : (h as number) / srcH);
    const sw = even(srcW * s);
    const sh = even(srcH * s);
    return { scaleWidth: sw, scaleHeight: sh, width: sw, height: sh };
  }
  return fitBox(srcW, srcH, w, h, fit, capScale);
}

function fitBox(
  srcW: number,
  srcH: number,
  w: number,
  h: number,
  fit: FitMode,
  capScale: (s: number) => number,
): OutputSize {
  switch (fit) {
    case "CONTAIN": {
      const s = capScale(Math.min(w / srcW, h / srcH));
      const sw = even(srcW * s);
      const sh = even(srcH * s);
      return { scaleWidth: sw, scaleHeight: sh, width: sw, height: sh };
    }
    case "COVER": {
      const s = capScale(Math.max(w / srcW, h / srcH));
      const sw = even(srcW * s);
      const sh = even(srcH * s);
      return { scaleWidth: sw, scaleHeight: sh, width: Math.min(w, sw), height: Math.min(h, sh) };
    }
    case "FILL": {
      const sw = capScale(w / srcW) * srcW;
      const sh = capScale(h / srcH) * srcH;
      return { scaleWidth: even(sw), scaleHeight: even(sh), width: even(sw), height: even(sh) };
    }
  }
}

/**
 * Filters after selection: size, square pixels, a microsecond time base so showinfo's integer pts
 * are exact, and the timestamp log (without per-frame checksums where the build supports turning them off).
 */
export function outputFilters(srcW: number, srcH: number, size: OutputSize, legacy = false): string[] {
  const f: string[] = [];
  if (size.scaleWidth !== srcW || size.scaleHeight !== srcH)
    f.push(`scale=${size.scaleWidth}:${size.scaleHeight}:flags=bicubic`);
  if (size.width !== size.scaleWidth || size.height !== size.scaleHeight) f.push(`crop=${size.width}:${size.height}`);
  f.push("setsar=1", "settb=AVTB", legacy ? "showinfo" : "showinfo=checksum=0");
  return f;
}

/** Quality 1..100 pinned per encoder: never left to rate control. */
export function encoderArgs(format: ImageFormat, quality: number): string[] {
  switch (format) {
    case "JPEG":
      return [
        "-c:v",
        "mjpeg",
        "-q:v",
        String(jpegQscale(quality)),
        "-qmin",
        "1",
        "-qmax",
        "31",
        "-pix_fmt",
        "yuvj420p",
      ];
    case "PNG":
      return ["-c:v", "png", "-compression_level", String(pngCompression(quality)), "-pix_fmt", "rgb24"];
    case "WEBP":
      return [
        "-c:v",
        "libwebp",
        "-lossless",
        "0",
        "-quality",
        String(quality),
        "-compression_level",
        "4",
        "-preset",
        "default",
        "-pix_fmt",
        "yuv420p",
      ];
  }
}

/** 100 -> 2 (best), 1 -> 31 (worst), linear: mjpeg's qscale range. */
export const jpegQscale = (quality: number): number => Math.round(2 + ((100 - clampQ(quality)) * 29) / 99);
/** PNG is lossless: quality trades size for speed; 100 -> level 1 (fast), 1 -> level 9 (smallest). */
export const pngCompression = (quality: number): number => Math.round(9 - ((clampQ(quality) - 1) * 8) / 99);
const clampQ = (q: number): number => Math.min(100, Math.max(1, Math.round(q)));

const trim0 = (s: string): string => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
/** A number as ffmpeg expressions read it (plain decimal, no exponent). */
export const num = (n: number): string => (Number.isInteger(n) ? String(n) : trim0(n.toFixed(9)));
/** Seconds for -ss / -t: ffmpeg parses microseconds, so round down (never past a requested instant). */
export const secs = (n: number): string => trim0((Math.floor(n * 1e6 + 1e-3) / 1e6).toFixed(6));

export interface InputSpec {
  readonly url: string;
  /** Seconds on the file's timeline (ffmpeg adds the container start time itself); omitted: from the start. */
  readonly seek?: number;
  /** `url` is a `data:` URL holding our own ffconcat script (see seek-batch.ts), whose entries are `file:` URLs. */
  readonly concat?: boolean;
  /** Decode only this many seconds after `seek`; undefined reads to the end. */
  readonly duration?: number;
  readonly keyframesOnly?: boolean;
  readonly threads?: number;
  /** `url` is `pipe:0`: raw pictures in NUT from the frame picker (engine/native/pick-frames.c). */
  readonly piped?: boolean;
}

export interface OutputSpec {
  readonly filters: readonly string[];
  readonly format: ImageFormat;
  readonly quality: number;
  readonly maxFrames?: number;
  /** ffmpeg >= 5.1 spells it -fps_mode; older builds -vsync. */
  readonly fpsModeFlag: "-fps_mode" | "-vsync";
}

/**
 * One ffmpeg run: a single local input with an accurate input seek and original timestamps
 * (-copyts), images to stdout. -xerror turns decode errors into a failed exit instead of
 * silently concealed frames.
 */
export function buildExtractArgs(input: InputSpec, out: OutputSpec): string[] {
  return [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-loglevel",
    "info",
    "-xerror",
    "-protocol_whitelist",
    input.piped ? "pipe" : input.concat ? "file,data" : "file",
    ...(input.threads !== undefined ? ["-threads", String(input.threads)] : []),
    ...(input.keyframesOnly ? ["-skip_frame", "nokey"] : []),
    ...(input.concat ? ["-f", "concat", "-safe", "0"] : []),
    ...(input.piped ? ["-f", "nut"] : []),
    ...(input.seek !== undefined ? ["-ss", secs(input.seek)] : []),
    ...(input.duration !== undefined ? ["-t", secs(input.duration)] : []),
    "-copyts",
    "-i",
    input.url,
    "-map",
    "0:v:0",
    "-an",
    "-sn",
    "-dn",
    "-vf",
    out.filters.join(","),
    out.fpsModeFlag,
    "passthrough",
    ...(out.maxFrames !== undefined ? ["-frames:v", String(out.maxFrames)] : []),
    ...encoderArgs(out.format, out.quality),
    "-f",
    "image2pipe",
    "pipe:1",
  ];
}

export const FILE_EXTENSIONS: Readonly<Record<ImageFormat, string>> = { JPEG: "jpg", PNG: "png", WEBP: "webp" };
