import { useId, type ReactNode } from "react";
import type { ImageFormat } from "../generated/graphql.js";
import type {
  ErrorSlot,
  FieldErrors,
  SamplingChoice,
  SamplingField,
  SamplingForm,
  SamplingToggle,
} from "./sampling-options.js";

const CHOICES: ReadonlyArray<{ value: SamplingChoice; label: string }> = [
  { value: "every", label: "A frame every N seconds" },
  { value: "count", label: "N frames spread evenly" },
  { value: "at", label: "Frames at given times" },
  { value: "keyframes", label: "Keyframes" },
  { value: "scenes", label: "Scene changes" },
  { value: "best", label: "Best thumbnails" },
  { value: "none", label: "No frames, previews only" },
];

const FORMATS: readonly ImageFormat[] = ["JPEG", "PNG", "WEBP"];

interface Props {
  readonly value: SamplingForm;
  readonly onChange: (next: SamplingForm) => void;
  readonly errors: FieldErrors;
}

/** How frames are chosen and written, and the previews, in the CLI's words; errors sit beside their fields. */
export function SamplingFields({ value, onChange, errors }: Props) {
  const id = useId();
  const set = (patch: Partial<SamplingForm>) => onChange({ ...value, ...patch });
  const describedBy = (slot: ErrorSlot, hint?: string) =>
    [hint ? `${id}-${slot}-hint` : "", errors[slot] ? `${id}-${slot}-error` : ""].filter(Boolean).join(" ") ||
    undefined;
  const note = (slot: ErrorSlot, hint?: string): ReactNode => (
    <>
      {hint && (
        <span className="hint" id={`${id}-${slot}-hint`}>
          {hint}
        </span>
      )}
      {errors[slot] && (
        <span className="field-error" id={`${id}-${slot}-error`}>
          {errors[slot]}
        </span>
      )}
    </>
  );
  const field = (name: SamplingField, label: string, hint?: string, inputMode: "decimal" | "text" = "decimal") => {
    const inputId = `${id}-${name}`;
    return (
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input
          id={inputId}
          name={name}
          inputMode={inputMode}
          value={value[name]}
          onChange={(e) => set({ [name]: e.target.value })}
          aria-invalid={errors[name] ? true : undefined}
          aria-describedby={describedBy(name, hint)}
        />
        {note(name, hint)}
      </div>
    );
  };
  const toggle = (name: SamplingToggle, label: string, hint?: string) => (
    <div className="field toggle">
      <label className="choice">
        <input
          type="checkbox"
          name={name}
          checked={value[name]}
          onChange={(e) => set({ [name]: e.target.checked })}
          aria-invalid={errors[name] ? true : undefined}
          aria-describedby={describedBy(name, hint)}
        />
        {label}
      </label>
      {note(name, hint)}
    </div>
  );
  return (
    <div className="sampling">
      <fieldset aria-describedby={describedBy("choice")}>
        <legend>Sampling</legend>
        {CHOICES.map((c) => (
          <label key={c.value} className="choice">
            <input
              type="radio"
              name={`${id}-choice`}
              value={c.value}
              checked={value.choice === c.value}
              onChange={() => set({ choice: c.value })}
            />
            {c.label}
          </label>
        ))}
        {errors.choice && <div>{note("choice")}</div>}
      </fieldset>
      <div className="row">
        {value.choice === "every" && field("every", "Seconds between frames")}
        {value.choice === "count" && field("count", "Number of frames")}
        {value.choice === "at" &&
          field("at", "Times", "Seconds or percentages, comma-separated: 1, 2.5 or 10%, 50%", "text")}
        {value.choice === "scenes" && field("scenes", "Scene threshold", "Between 0 and 1; lower finds more scenes")}
        {value.choice === "best" &&
          field(
            "best",
            "Number of thumbnails",
            "The frames a person would pick: no black, flat, faded, blurred or duplicate ones",
          )}
      </div>
      <fieldset className="previews">
        <legend>Previews</legend>
        {toggle(
          "storyboard",
          "Storyboard",
          "Sprite sheets with storyboard.vtt and storyboard.json (seek-bar thumbnails)",
        )}
        {value.storyboard && (
          <div className="row">
            {field("storyboardInterval", "Seconds between tiles", "Empty: about one every 5 s")}
            {field("storyboardWidth", "Tile width (px)", "160-320, default 160")}
          </div>
        )}
        {toggle("contactSheet", "Contact sheet", "One image: a grid of frames with their times under a header")}
        {value.contactSheet && (
          <div className="row">{field("contactSheetCount", "Frames on the sheet", "Default 16")}</div>
        )}
        {toggle("animated", "Animated preview", "preview.webp: short clips at evenly spread points (hover preview)")}
        {value.animated && (
          <div className="row">
            {toggle("gif", "Also a GIF")}
            {field("animatedRange", "Range (s)", "Optional: one clip FROM-TO, like 12-18 (at most 30 s)", "text")}
          </div>
        )}
      </fieldset>
      <details
        open={(["format", "quality", "width", "height", "start", "end"] as const).some((f) => errors[f]) || undefined}
      >
        <summary>Format, quality, size and range</summary>
        <div className="row">
          <div className="field">
            <label htmlFor={`${id}-format`}>Format</label>
            <select
              id={`${id}-format`}
              value={value.format}
              onChange={(e) => set({ format: e.target.value as ImageFormat })}
              aria-invalid={errors.format ? true : undefined}
              aria-describedby={describedBy("format")}
            >
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
            {note("format")}
          </div>
          {field("quality", "Quality (1-100)")}
          {field("width", "Width (px)")}
          {field("height", "Height (px)")}
          {field("start", "Start (s)")}
          {field("end", "End (s)")}
        </div>
      </details>
      {errors.form && (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      )}
    </div>
  );
}
