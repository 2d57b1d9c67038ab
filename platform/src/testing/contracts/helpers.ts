import type { Readable } from "node:stream";
import { expect } from "vitest";
import { isDomainError, type ErrorCode } from "@vp/domain";

/** Awaits `promise` and asserts it rejects with a DomainError of `code`. */
export async function expectDomainError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  let outcome: unknown;
  try {
    await promise;
    outcome = "resolved";
  } catch (e) {
    outcome = e;
  }
  if (!isDomainError(outcome, code)) {
    expect.fail(
      `expected DomainError ${code}, got ${outcome instanceof Error ? `${outcome.name} ${(outcome as { code?: string }).code ?? ""}: ${outcome.message}` : String(outcome)}`,
    );
  }
}

/** Polls `check` until it returns true; fails after `timeoutMs`. For effects that arrive asynchronously by design. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) expect.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

export const bytes = (n: number, seed = 1): Buffer => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 17) & 0xff;
  return b;
};
