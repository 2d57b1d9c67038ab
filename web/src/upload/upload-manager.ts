import type { ExtractionOptionsInput } from "../generated/graphql.js";
import { AbortedError, TransferError, type Transfer } from "./transfer.js";

type Header = { readonly name: string; readonly value: string };
export interface UploadTargetShape {
  readonly url: string;
  readonly method: string;
  readonly headers: readonly Header[];
  readonly multipart?: {
    readonly uploadId: string;
    readonly method: string;
    readonly headers: readonly Header[];
    readonly parts: ReadonlyArray<{ readonly partNumber: number; readonly url: string; readonly sizeBytes: number }>;
  } | null;
}
export interface ProblemShape {
  readonly message: string;
  readonly field?: readonly string[] | null;
  readonly code?: string;
}

/** The GraphQL side of an upload (createVideoUpload, completeVideoUpload, deleteVideo). */
export interface UploadApi {
  create(
    file: File,
    extraction: ExtractionOptionsInput,
  ): Promise<{ videoId: string; upload: UploadTargetShape } | { problems: readonly ProblemShape[] }>;
  complete(
    videoId: string,
    multipart: { uploadId: string; parts: Array<{ partNumber: number; etag: string }> } | null,
  ): Promise<readonly ProblemShape[]>;
  /** Drops a video whose upload was cancelled or failed, so no half-uploaded record stays. */
  remove(videoId: string): Promise<void>;
}

export type UploadPhase = "preparing" | "uploading" | "completing" | "done" | "failed" | "cancelled";

export interface UploadItem {
  readonly key: number;
  readonly name: string;
  readonly sizeBytes: number;
  readonly phase: UploadPhase;
  readonly sentBytes: number;
  /** Bytes per second over the last few seconds. */
  readonly bytesPerSecond: number;
  readonly multipart: boolean;
  readonly videoId: string | null;
  readonly problems: readonly ProblemShape[];
}

export interface UploadManagerOptions {
  readonly api: UploadApi;
  readonly transfer: Transfer;
  /** Attempts per part (and for a single PUT) when the network or the storage fails. */
  readonly attempts?: number;
  readonly partConcurrency?: number;
  readonly retryDelayMs?: (attempt: number) => number;
  readonly now?: () => number;
}

const SPEED_WINDOW_MS = 3000;

/**
 * Uploads several files at once, each: createVideoUpload (options checked by the server, its
 * userErrors shown), its bytes straight to storage (one PUT, or the parts of a multipart target two
 * at a time, a failed part retried), then completeVideoUpload. Each can be cancelled; a cancelled
 * or failed upload deletes its video record.
 */
export class UploadManager {
  private items: UploadItem[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly controllers = new Map<number, AbortController>();
  private nextKey = 1;
  private readonly attempts: number;
  private readonly partConcurrency: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly now: () => number;

  constructor(private readonly options: UploadManagerOptions) {
    this.attempts = options.attempts ?? 4;
    this.partConcurrency = options.partConcurrency ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? ((a) => 400 * a);
    this.now = options.now ?? (() => performance.now());
  }

  snapshot = (): readonly UploadItem[] => this.items;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Starts every file; resolves when all have settled. */
  add(files: readonly File[], extraction: ExtractionOptionsInput): Promise<void> {
    return Promise.all(files.map((f) => this.run(f, extraction))).then(() => undefined);
  }

  cancel(key: number): void {
    this.controllers.get(key)?.abort();
  }

  /** Forgets the settled uploads. */
  clearFinished(): void {
    this.items = this.items.filter((i) => !["done", "failed", "cancelled"].includes(i.phase));
    this.emit();
  }

  private emit(): void {
    this.listeners.forEach((l) => l());
  }

  private update(key: number, patch: Partial<UploadItem>): void {
    this.items = this.items.map((i) => (i.key === key ? { ...i, ...patch } : i));
    this.emit();
  }

  private async run(file: File, extraction: ExtractionOptionsInput): Promise<void> {
    const key = this.nextKey++;
    const controller = new AbortController();
    this.controllers.set(key, controller);
    this.items = [
      ...this.items,
      {
        key,
        name: file.name,
        sizeBytes: file.size,
        phase: "preparing",
        sentBytes: 0,
        bytesPerSecond: 0,
        multipart: false,
        videoId: null,
        problems: [],
      },
    ];
    this.emit();
    let videoId: string | null = null;
    try {
      const created = await this.options.api.create(file, extraction);
      if ("problems" in created) return this.update(key, { phase: "failed", problems: created.problems });
      videoId = created.videoId;
      if (controller.signal.aborted) throw new AbortedError();
      const multipart = created.upload.multipart ?? null;
      this.update(key, { phase: "uploading", videoId, multipart: multipart !== null });
      const meter = this.meter(key, file.size);
      const parts = multipart
        ? await this.sendParts(file, multipart, meter, controller.signal)
        : (await this.withRetry(
            controller.signal,
            (onProgress) =>
              this.options.transfer({
                url: created.upload.url,
                method: created.upload.method,
                headers: created.upload.headers,
                body: file,
                onProgress: (sent) => onProgress(sent),
                signal: controller.signal,
              }),
            (sent) => meter(0, sent),
          ),
          null);
      this.update(key, { phase: "completing", sentBytes: file.size });
      const problems = await this.options.api.complete(
        videoId,
        multipart && parts ? { uploadId: multipart.uploadId, parts } : null,
      );
      if (problems.length > 0) throw new ProblemsError(problems);
      this.update(key, { phase: "done", bytesPerSecond: 0 });
    } catch (err) {
      const cancelled = err instanceof AbortedError || controller.signal.aborted;
      if (videoId !== null) await this.options.api.remove(videoId).catch(() => undefined);
      this.update(key, {
        phase: cancelled ? "cancelled" : "failed",
        bytesPerSecond: 0,
        problems: cancelled ? [] : err instanceof ProblemsError ? err.problems : [{ message: describe(err) }],
      });
    } finally {
      this.controllers.delete(key);
    }
  }

  /** Progress per part (a retried part restarts at 0 without counting twice), and speed. */
  private meter(key: number, total: number): (part: number, sent: number) => void {
    const byPart = new Map<number, number>();
    const samples: Array<{ t: number; bytes: number }> = [];
    return (part, sent) => {
      byPart.set(part, sent);
      let bytes = 0;
      byPart.forEach((b) => (bytes += b));
      const t = this.now();
      samples.push({ t, bytes });
      while (samples.length > 2 && t - samples[0]!.t > SPEED_WINDOW_MS) samples.shift();
      const first = samples[0]!;
      const dt = (t - first.t) / 1000;
      const speed = dt > 0 ? Math.max(0, (bytes - first.bytes) / dt) : 0;
      this.update(key, { sentBytes: Math.min(bytes, total), bytesPerSecond: speed });
    };
  }

  private async sendParts(
    file: File,
    multipart: NonNullable<UploadTargetShape["multipart"]>,
    meter: (part: number, sent: number) => void,
    signal: AbortSignal,
  ): Promise<Array<{ partNumber: number; etag: string }>> {
    const starts: number[] = [];
    multipart.parts.reduce((offset, p) => (starts.push(offset), offset + p.sizeBytes), 0);
    const etags = new Array<{ partNumber: number; etag: string }>(multipart.parts.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < multipart.parts.length) {
        const i = next++;
        const part = multipart.parts[i]!;
        const body = file.slice(starts[i], starts[i]! + part.sizeBytes);
        const { etag } = await this.withRetry(
          signal,
          (onProgress) =>
            this.options.transfer({
              url: part.url,
              method: multipart.method,
              headers: multipart.headers,
              body,
              onProgress,
              signal,
            }),
          (sent) => meter(i, sent),
        );
        if (!etag) throw new TransferError(502, `part ${part.partNumber} was accepted without an ETag`);
        etags[i] = { partNumber: part.partNumber, etag };
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.partConcurrency, multipart.parts.length) }, worker));
    return etags;
  }

  private async withRetry<T>(
    signal: AbortSignal,
    send: (onProgress: (sent: number) => void) => Promise<T>,
    onProgress: (sent: number) => void,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        onProgress(0);
        return await send(onProgress);
      } catch (err) {
        if (signal.aborted || err instanceof AbortedError) throw new AbortedError();
        if (!(err instanceof TransferError) || !err.retryable || attempt >= this.attempts) throw err;
        onProgress(0);
        await new Promise((r) => setTimeout(r, this.retryDelayMs(attempt)));
      }
    }
  }
}

class ProblemsError extends Error {
  constructor(readonly problems: readonly ProblemShape[]) {
    super(problems.map((p) => p.message).join("; "));
  }
}

function describe(err: unknown): string {
  if (err instanceof TransferError) return `Upload failed: ${err.message}.`;
  if (err instanceof Error && err.message) return err.message;
  return "The upload failed.";
}
