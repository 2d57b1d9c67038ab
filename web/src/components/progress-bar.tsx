import { percent } from "./format.js";

/** A labelled progress bar; the label names what progresses (a file, a job). */
export function ProgressBar({ value, label }: { readonly value: number; readonly label: string }) {
  const clamped = Math.min(1, Math.max(0, value));
  return (
    <div className="progress">
      <progress max={1} value={clamped} aria-label={label} />
      <span className="progress-text">{percent(clamped)}</span>
    </div>
  );
}
