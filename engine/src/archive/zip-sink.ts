import type { Writable } from "node:stream";
import { ZipArchive } from "archiver";
import { ExtractionError } from "../types.js";

/** Fixed entry date: a retried job produces byte-identical archives. */
export const ENTRY_DATE = new Date("2000-01-01T00:00:00Z");
/** Bytes handed to the archive but not yet taken by the output; beyond this, `add` waits. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Bytes an entry adds besides its data, at most: local header, data descriptor and central
 * directory record, each with its name and room for ZIP64 extra fields.
 */
export const entryOverheadBytes = (name: string): number => 30 + 24 + 46 + 2 * Buffer.byteLength(name) + 2 * 32;
/** The end of central directory record, with the ZIP64 one and its locator. */
export const END_RECORD_BYTES = 22 + 56 + 20;

const sizeOf = (n: number): string =>
  n >= 1024 ** 3 ? `${+(n / 1024 ** 3).toFixed(2)} GiB` : `${+(n / 1024 ** 2).toFixed(1)} MiB`;

/**
 * A stored (not deflated) ZIP streamed into `output`. `add` resolves once the output has taken
 * all but MAX_BUFFERED_BYTES of what was appended, so a slow output slows the decoders instead of
 * filling memory. A failure (output error, abort signal) rejects the waiting call at once.
 */
export class ZipSink {
  private readonly archive = new ZipArchive({ store: true });
  private appended = 0;
  private emitted = 0;
  /** What the archive will weigh if it ends now: an upper bound of its final size. */
  private projected = END_RECORD_BYTES;
  private entries = 0;
  private failure: Error | null = null;
  private wakeAll: (() => void)[] = [];
  private readonly outputDone: Promise<void>;

  constructor(
    private readonly output: Writable,
    signal?: AbortSignal,
    /** The archive may never grow past this (its final size, directory included); `add` refuses before. */
    private readonly maxBytes?: number,
  ) {
    signal?.addEventListener(
      "abort",
      () => this.fail(signal.reason instanceof Error ? signal.reason : new Error("aborted")),
      { once: true },
    );
    this.archive.on("data", (chunk: Buffer) => {
      this.emitted += chunk.length;
      this.wake();
    });
    this.archive.on("error", (err) => this.fail(err));
    this.archive.on("warning", (err) => this.fail(err));
    this.outputDone = new Promise<void>((resolve, reject) => {
      output.on("finish", resolve);
      output.on("error", reject);
      output.on("close", () =>
        output.writableFinished ? resolve() : reject(new Error("the output closed before the archive was complete")),
      );
    });
    this.outputDone.catch((err: Error) => this.fail(err));
    this.archive.pipe(output);
  }

  private wake(): void {
    const w = this.wakeAll;
    this.wakeAll = [];
    for (const f of w) f();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
  }

  private until(ready: () => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (this.failure) reject(this.failure);
        else if (ready()) resolve();
        else this.wakeAll.push(check);
      };
      check();
    });
  }

  /** Refuses with ARCHIVE_TOO_LARGE, appending nothing, when the entry would take the archive past `maxBytes`. */
  async add(name: string, data: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    const projected = this.projected + data.length + entryOverheadBytes(name);
    if (this.maxBytes !== undefined && projected > this.maxBytes)
      throw new ExtractionError(
        "ARCHIVE_TOO_LARGE",
        `The archive would be larger than the limit of ${this.maxBytes} bytes (${sizeOf(this.maxBytes)}) per job after ${this.entries} file${this.entries === 1 ? "" : "s"}; ask for fewer frames, a smaller width or height, or JPEG or WEBP instead of PNG.`,
        false,
      );
    this.projected = projected;
    this.entries++;
    // A stored entry adds its bytes plus a small header; the header is ignored for the bound.
    this.appended += data.length;
    this.archive.append(data, { name, date: ENTRY_DATE, store: true });
    await this.until(() => this.appended - this.emitted <= MAX_BUFFERED_BYTES);
  }

  /** Finishes the archive and waits until the output has it all; returns the archive's size. */
  async finish(): Promise<number> {
    if (this.failure) throw this.failure;
    let done = false;
    void Promise.all([this.archive.finalize(), this.outputDone]).then(
      () => {
        done = true;
        this.wake();
      },
      (err: Error) => this.fail(err),
    );
    await this.until(() => done);
    return this.archive.pointer();
  }

  /** Stops the archive and fails the output, so a BlobStore discards the partial object. */
  abort(err: Error): void {
    this.fail(err);
    this.archive.unpipe(this.output);
    this.archive.abort();
    if (!this.output.destroyed) this.output.destroy(err);
  }
}
