import type { ExtractionOptionsInput, ImageFormat } from "../generated/graphql.js";

/**
 * The CLI's sampling words: --every, --count, --at, --keyframes, --scenes, --best; "none" is
 * --no-frames (the previews only).
 */
export type SamplingChoice = "every" | "count" | "at" | "keyframes" | "scenes" | "best" | "none";

export interface SamplingForm {
  readonly choice: SamplingChoice;
  readonly every: string;
  readonly count: string;
  readonly at: string;
  readonly scenes: string;
  readonly best: string;
  readonly format: ImageFormat;
  readonly quality: string;
  readonly width: string;
  readonly height: string;
  readonly start: string;
  readonly end: string;
  /** --storyboard, --storyboard-interval, --storyboard-width */
  readonly storyboard: boolean;
  readonly storyboardInterval: string;
  readonly storyboardWidth: string;
  /** --contact-sheet, --contact-sheet-count */
  readonly contactSheet: boolean;
  readonly contactSheetCount: string;
  /** --animated, --gif, --animated-range FROM-TO */
  readonly animated: boolean;
  readonly gif: boolean;
  readonly animatedRange: string;
}

type KeysOf<V> = { [K in keyof SamplingForm]: SamplingForm[K] extends V ? K : never }[keyof SamplingForm];
/** The form's text inputs (and the format select). */
export type SamplingField = Exclude<KeysOf<string>, "choice">;
/** The form's checkboxes. */
export type SamplingToggle = KeysOf<boolean>;

/** The server's defaults (one JPEG frame every second, quality 85), no previews. */
export const DEFAULT_SAMPLING: SamplingForm = {
  choice: "every",
  every: "1",
  count: "10",
  at: "0, 50%",
  scenes: "0.3",
  best: "4",
  format: "JPEG",
  quality: "85",
  width: "",
  height: "",
  start: "",
  end: "",
  storyboard: false,
  storyboardInterval: "",
  storyboardWidth: "",
  contactSheet: false,
  contactSheetCount: "",
  animated: false,
  gif: false,
  animatedRange: "",
};

/** "choice": the sampling group itself (a mode or includeFrames the server refused). */
export type FieldErrors = Partial<Record<SamplingField | SamplingToggle | "choice" | "form", string>>;
export type ErrorSlot = keyof FieldErrors;

/** Where the server's userError `field` path lands in the form, by its last name. */
const SERVER_FIELDS: Record<string, SamplingField | "choice"> = {
  mode: "choice",
  includeFrames: "choice",
  intervalSeconds: "every",
  count: "count",
  timestamps: "at",
  timestampUnit: "at",
  sceneThreshold: "scenes",
  sceneMinGapSeconds: "scenes",
  format: "format",
  quality: "quality",
  width: "width",
  height: "height",
  startSeconds: "start",
  endSeconds: "end",
};

/** Inside a preview's own input, its sub-fields; anything else lands on the preview's checkbox. */
const PREVIEW_FIELDS: Record<
  "storyboard" | "contactSheet" | "animated",
  Record<string, SamplingField | SamplingToggle>
> = {
  storyboard: { intervalSeconds: "storyboardInterval", tileWidth: "storyboardWidth" },
  contactSheet: { count: "contactSheetCount" },
  animated: { fromSeconds: "animatedRange", toSeconds: "animatedRange", gif: "gif" },
};

const isPreview = (name: string | undefined): name is keyof typeof PREVIEW_FIELDS =>
  name === "storyboard" || name === "contactSheet" || name === "animated";

/**
 * A userError's path (["input", "extraction", "storyboard", "tileWidth"]) as the slot that shows it.
 * `choice` tells where `count` is: the BEST mode's field is "best".
 */
export function fieldOfServerPath(path: readonly string[] | null | undefined, choice?: SamplingChoice): ErrorSlot {
  if (!path || path.length === 0) return "form";
  const at = path.indexOf("extraction");
  const rel = at >= 0 ? path.slice(at + 1) : path;
  const [head, sub] = rel;
  if (isPreview(head)) return (sub !== undefined && PREVIEW_FIELDS[head][sub]) || head;
  const last = path[path.length - 1]!;
  const slot = SERVER_FIELDS[last];
  if (slot === "count" && choice === "best") return "best";
  return slot ?? "form";
}

/** Server userErrors as messages beside the fields they name. */
export function errorsFromServer(
  problems: ReadonlyArray<{ readonly message: string; readonly field?: readonly string[] | null }>,
  choice?: SamplingChoice,
): FieldErrors {
  const out: FieldErrors = {};
  for (const p of problems) {
    const f = fieldOfServerPath(p.field, choice);
    out[f] = out[f] ? `${out[f]} ${p.message}` : p.message;
  }
  return out;
}

const optionalNumber = (raw: string, label: string, errors: FieldErrors, field: SamplingField) => {
  const t = raw.trim();
  if (t === "") return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) {
    errors[field] = `${label} must be a number.`;
    return undefined;
  }
  return n;
};

/** `--animated-range FROM-TO`: "12-18", "12.5 - 18" (seconds). */
function parseRange(raw: string): { fromSeconds: number; toSeconds: number } | null {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*[-–]\s*(\d+(?:\.\d+)?|\.\d+)\s*$/.exec(raw);
  return m ? { fromSeconds: Number(m[1]), toSeconds: Number(m[2]) } : null;
}

/** The previews asked for, as the input's nested objects (only the sub-fields filled in). */
function previewInput(form: SamplingForm, input: ExtractionOptionsInput, errors: FieldErrors): void {
  const num = (f: SamplingField, label: string) => optionalNumber(form[f], label, errors, f);
  if (form.storyboard) {
    const interval = num("storyboardInterval", "Seconds between tiles");
    const width = num("storyboardWidth", "Tile width");
    input.storyboard = {
      ...(interval !== undefined ? { intervalSeconds: interval } : {}),
      ...(width !== undefined ? { tileWidth: width } : {}),
    };
  }
  if (form.contactSheet) {
    const count = num("contactSheetCount", "Frames on the sheet");
    input.contactSheet = count !== undefined ? { count } : {};
  }
  if (form.animated) {
    const raw = form.animatedRange.trim();
    const range = raw === "" ? null : parseRange(raw);
    if (raw !== "" && !range) errors.animatedRange = "Enter FROM-TO in seconds, like 12-18.";
    input.animated = { ...(form.gif ? { gif: true } : {}), ...(range ?? {}) };
  }
}

/**
 * The form as the API's flat ExtractionOptionsInput. Only what cannot be sent at all (text that is
 * not a number) is refused here; ranges and combinations are the server's to judge (its userErrors).
 */
export function toExtractionInput(form: SamplingForm): { input: ExtractionOptionsInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const input: ExtractionOptionsInput = { format: form.format };
  const num = (f: SamplingField, label: string) => optionalNumber(form[f], label, errors, f);
  switch (form.choice) {
    case "every":
      input.mode = "INTERVAL";
      input.intervalSeconds = num("every", "Seconds between frames") ?? null;
      if (form.every.trim() === "") errors.every = "Enter the seconds between frames.";
      break;
    case "count":
      input.mode = "COUNT";
      input.count = num("count", "Number of frames") ?? null;
      if (form.count.trim() === "") errors.count = "Enter how many frames.";
      break;
    case "best":
      input.mode = "BEST";
      input.count = num("best", "Number of thumbnails") ?? null;
      if (form.best.trim() === "") errors.best = "Enter how many thumbnails.";
      break;
    case "at": {
      input.mode = "TIMESTAMPS";
      const items = form.at
        .split(/[,\s]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      const percent = items.filter((s) => s.endsWith("%")).length;
      if (items.length === 0) errors.at = "Enter at least one time, in seconds or with a % sign.";
      else if (percent > 0 && percent < items.length) errors.at = "Use either seconds or percentages, not both.";
      const values = items.map((s) => Number(s.replace(/%$/, "")));
      if (values.some((v) => !Number.isFinite(v))) errors.at = "Times must be numbers, like 1.5 or 50%.";
      input.timestamps = values;
      input.timestampUnit = percent > 0 ? "PERCENT" : "SECONDS";
      break;
    }
    case "keyframes":
      input.mode = "KEYFRAMES";
      break;
    case "scenes":
      input.mode = "SCENES";
      input.sceneThreshold = num("scenes", "Scene threshold") ?? null;
      break;
    case "none":
      // No mode: the server makes the previews alone; with none asked for it says so (includeFrames).
      input.includeFrames = false;
      break;
  }
  const quality = num("quality", "Quality");
  if (quality !== undefined) input.quality = quality;
  const width = num("width", "Width");
  if (width !== undefined) input.width = width;
  const height = num("height", "Height");
  if (height !== undefined) input.height = height;
  const start = num("start", "Start");
  if (start !== undefined) input.startSeconds = start;
  const end = num("end", "End");
  if (end !== undefined) input.endSeconds = end;
  previewInput(form, input, errors);
  return { input, errors };
}
