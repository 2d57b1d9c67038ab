/** Human sizes: 1.5 MB, 320 kB, 12 B. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

const bar = (fraction: number, width: number): string => {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return "#".repeat(full) + "-".repeat(width - full);
};

/** `upload [######------]  45%  12 MB / 27 MB  3.1 MB/s  ETA 5s` */
export function renderBytesLine(label: string, sent: number, total: number, elapsedSeconds: number): string {
  const fraction = total > 0 ? sent / total : 1;
  const rate = elapsedSeconds > 0 ? sent / elapsedSeconds : 0;
  const eta = rate > 0 ? (total - sent) / rate : Number.NaN;
  return `${label} [${bar(fraction, 24)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${formatBytes(sent)} / ${formatBytes(total)}  ${formatBytes(rate)}/s  ETA ${sent >= total ? "0s" : formatDuration(eta)}`;
}

/** `job    [######------]  45%  12 frames  RUNNING` */
export function renderJobLine(
  label: string,
  job: { status: string; progress: number; framesExtracted: number },
): string {
  return `${label} [${bar(job.progress, 24)}] ${String(Math.floor(job.progress * 100)).padStart(3)}%  ${job.framesExtracted} frames  ${job.status}`;
}

export interface ProgressLine {
  /** Redraws the line (at most ~10 times a second unless `force`). */
  update(text: string, force?: boolean): void;
  /** Leaves the last line on screen and moves to the next. */
  done(): void;
}

/** One self-redrawing line on a TTY; nothing at all elsewhere (pipes, CI, --json). */
export function progressLine(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  enabled: boolean,
): ProgressLine {
  if (!enabled || !stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(text, force = false) {
      const now = Date.now();
      if (!force && now - last < 100) return;
      last = now;
      shown = true;
      const width = (stream.columns ?? 100) - 1;
      stream.write(`\r\x1b[2K${text.slice(0, width)}`);
    },
    done() {
      if (shown) stream.write("\n");
      shown = false;
    },
  };
}
