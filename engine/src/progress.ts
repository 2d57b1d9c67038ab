import type { ExtractionProgress } from "./types.js";

/** Clamps to 0..1, never goes backwards, and reports at most every `intervalMs` (the final 1 always). */
export class ProgressReporter {
  private last = -1;
  private lastAt = -Infinity;
  constructor(
    private readonly emit: ((p: ExtractionProgress) => void) | undefined,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  report(fraction: number, framesExtracted: number, force = false): void {
    if (!this.emit) return;
    const p = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    const progress = Math.max(p, this.last);
    const t = this.now();
    if (progress === this.last) return;
    if (!force && t - this.lastAt < this.intervalMs) return;
    this.last = progress;
    this.lastAt = t;
    this.emit({ progress, framesExtracted });
  }
}
