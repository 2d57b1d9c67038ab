import type { ExtractionOptionsInput } from "@vp/domain";
import { UsageError } from "./io.js";

/**
 * The sampling and output flags, spelled the same in every command (extract, upload, ...).
 * They become an ExtractionOptionsInput; the shared schema validates it.
 */
export const SAMPLING_FLAGS = {
  every: { type: "string" },
  count: { type: "string" },
  at: { type: "string" },
  keyframes: { type: "boolean" },
  scenes: { type: "string" },
  "min-scene-gap": { type: "string" },
  format: { type: "string" },
  quality: { type: "string" },
  width: { type: "string" },
  height: { type: "string" },
  fit: { type: "string" },
  "allow-upscale": { type: "boolean" },
  start: { type: "string" },
  end: { type: "string" },
  "max-frames": { type: "string" },
  best: { type: "string" },
  storyboard: { type: "boolean" },
  "storyboard-interval": { type: "string" },
  "storyboard-width": { type: "string" },
  "contact-sheet": { type: "boolean" },
  "contact-sheet-count": { type: "string" },
  animated: { type: "boolean" },
  "animated-range": { type: "string" },
  gif: { type: "boolean" },
  "no-frames": { type: "boolean" },
} as const;

export const SAMPLING_HELP = `Sampling (pick one; default --every 1):
  --every SECONDS        one frame every SECONDS
  --count N              N frames evenly spread over the range
  --at T1,T2,...         frames at these times (seconds, or percent with a % suffix: 10%,50%)
  --keyframes            the encoder's keyframes (fast)
  --best N               the N frames a person would pick (no black, flat, faded, blurred or duplicate ones)
  --scenes [THRESHOLD]   one frame per scene change (0..1, default 0.3)
  --min-scene-gap S      with --scenes: at least S seconds between frames (default 0.5)
Output:
  --format jpeg|png|webp (default jpeg)   --quality 1-100 (default 85)
  --width W  --height H  --fit contain|cover|fill (default contain)  --allow-upscale
Range and budget:
  --start S  --end S  --max-frames N
Previews (into the same ZIP; asked for alone, the ZIP holds only them, unless a mode is named):
  --storyboard           sprite sheets + storyboard.vtt + storyboard.json (seek-bar thumbnails)
    --storyboard-interval S  --storyboard-width 160-320
  --contact-sheet        one image: a grid of frames with their times under a header
    --contact-sheet-count N (default 16)
  --animated             preview.webp: short clips at evenly spread points (hover preview)
    --animated-range FROM-TO  one clip of this range instead (seconds, at most 30 s)
    --gif                also preview.gif
  --no-frames            no frames, only the previews`;

/** `--scenes` takes an optional value: `--scenes`, `--scenes 0.4`, `--scenes=0.4`. */
export function normalizeOptionalValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--scenes") {
      const next = argv[i + 1];
      if (next !== undefined && /^(\d+\.?\d*|\.\d+)$/.test(next)) {
        out.push(`--scenes=${next}`);
        i++;
      } else out.push("--scenes=");
    } else out.push(a);
  }
  return out;
}

type Values = Partial<Record<keyof typeof SAMPLING_FLAGS, string | boolean | undefined>>;

const number = (flag: string, v: string | boolean | undefined): number | undefined => {
  if (v === undefined || typeof v === "boolean") return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number (got "${v}")`);
  return n;
};

const oneOf = <T extends string>(
  flag: string,
  v: string | boolean | undefined,
  allowed: readonly T[],
): T | undefined => {
  if (v === undefined || typeof v === "boolean") return undefined;
  const up = v.toUpperCase() as T;
  if (!allowed.includes(up))
    throw new UsageError(`--${flag} must be one of ${allowed.map((a) => a.toLowerCase()).join(", ")} (got "${v}")`);
  return up;
};

/** The chosen mode and its own flags, as the shared schema's flat input. */
function modeOptions(values: Values): ExtractionOptionsInput {
  const modes = (["every", "count", "at", "keyframes", "scenes", "best"] as const).filter(
    (k) => values[k] !== undefined && values[k] !== false,
  );
  if (modes.length > 1)
    throw new UsageError(`choose one sampling mode, not ${modes.map((m) => `--${m}`).join(" and ")}`);
  const mode = modes[0];
  if (mode !== "scenes" && values["min-scene-gap"] !== undefined)
    throw new UsageError("--min-scene-gap goes with --scenes");
  switch (mode) {
    case "count":
      return { mode: "COUNT", count: number("count", values.count) };
    case "at": {
      const parts = String(values.at)
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const percent = parts.some((p) => p.endsWith("%"));
      if (percent && !parts.every((p) => p.endsWith("%")))
        throw new UsageError("--at takes all seconds or all percentages, not a mix");
      return {
        mode: "TIMESTAMPS",
        timestampUnit: percent ? "PERCENT" : "SECONDS",
        timestamps: parts.map((p) => number("at", p.replace(/%$/, "")) as number),
      };
    }
    case "keyframes":
      return { mode: "KEYFRAMES" };
    case "best":
      return { mode: "BEST", count: number("best", values.best) };
    case "scenes": {
      const o: ExtractionOptionsInput = { mode: "SCENES" };
      if (values.scenes !== "") o.sceneThreshold = number("scenes", values.scenes);
      const gap = number("min-scene-gap", values["min-scene-gap"]);
      if (gap !== undefined) o.sceneMinGapSeconds = gap;
      return o;
    }
    case "every":
    default: // no sampling flag: one frame a second, or only the previews asked for
      if (mode === undefined && (values.storyboard || values["contact-sheet"] || values.animated))
        return { mode: "KEYFRAMES", includeFrames: false };
      return { mode: "INTERVAL", intervalSeconds: number("every", values.every) ?? 1 };
  }
}

/** The preview flags, each group's sub-flags refused without its switch. */
function previewOptions(values: Values, o: ExtractionOptionsInput): void {
  const needs = (flag: keyof Values, parent: keyof Values): void => {
    if (values[flag] !== undefined && !values[parent]) throw new UsageError(`--${flag} goes with --${parent}`);
  };
  needs("storyboard-interval", "storyboard");
  needs("storyboard-width", "storyboard");
  needs("contact-sheet-count", "contact-sheet");
  needs("animated-range", "animated");
  needs("gif", "animated");
  if (values.storyboard) {
    const interval = number("storyboard-interval", values["storyboard-interval"]);
    const width = number("storyboard-width", values["storyboard-width"]);
    o.storyboard = {
      ...(interval !== undefined ? { intervalSeconds: interval } : {}),
      ...(width !== undefined ? { tileWidth: width } : {}),
    };
  }
  if (values["contact-sheet"]) {
    const count = number("contact-sheet-count", values["contact-sheet-count"]);
    o.contactSheet = count !== undefined ? { count } : {};
  }
  if (values.animated) {
    const range = values["animated-range"];
    let from: number | undefined;
    let to: number | undefined;
    if (typeof range === "string") {
      const m = /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(range);
      if (!m) throw new UsageError(`--animated-range takes FROM-TO in seconds, e.g. 12-18 (got "${range}")`);
      from = number("animated-range", m[1]);
      to = number("animated-range", m[2]);
    }
    o.animated = {
      ...(values.gif ? { gif: true } : {}),
      ...(from !== undefined && to !== undefined ? { fromSeconds: from, toSeconds: to } : {}),
    };
  }
  if (values["no-frames"]) o.includeFrames = false;
}

export function samplingOptions(values: Values): ExtractionOptionsInput {
  const o = modeOptions(values);
  const put = <K extends keyof ExtractionOptionsInput>(key: K, v: ExtractionOptionsInput[K] | undefined): void => {
    if (v !== undefined) o[key] = v;
  };
  put("format", oneOf("format", values.format, ["JPEG", "PNG", "WEBP"] as const));
  put("quality", number("quality", values.quality));
  put("width", number("width", values.width));
  put("height", number("height", values.height));
  put("fit", oneOf("fit", values.fit, ["CONTAIN", "COVER", "FILL"] as const));
  if (values["allow-upscale"]) o.allowUpscale = true;
  put("startSeconds", number("start", values.start));
  put("endSeconds", number("end", values.end));
  put("maxFrames", number("max-frames", values["max-frames"]));
  previewOptions(values, o);
  return o;
}
