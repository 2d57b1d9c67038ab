import { expect } from "vitest";
import type { Frame } from "@vp/client";
import type { ApiClient } from "./api-client.js";

/**
 * Every frame of a succeeded job through the typed client, page by page, checked against the
 * archive's entries: same count, order, timestamps (the manifest's) and sizes; then each URL over
 * HTTP answers exactly the entry's bytes. `origin` replaces the URLs' origin when VP_PUBLIC_URL
 * names a front door the test does not run.
 */
export async function checkFramesAgainstArchive(
  client: ApiClient,
  jobId: string,
  entries: ReadonlyArray<{ name: string; data: Buffer }>,
  options: { readonly origin?: string; readonly pageSize?: number; readonly contentType?: string } = {},
): Promise<Frame[]> {
  const manifest = JSON.parse(entries.find((e) => e.name === "manifest.json")!.data.toString("utf8")) as {
    frames: Array<{ file: string; index: number; timestampSeconds: number }>;
  };
  const frames: Frame[] = [];
  for await (const f of client.sdk.allFrames(jobId, { pageSize: options.pageSize ?? 2 })) frames.push(f);
  expect(frames.map((f) => f.index)).toEqual(manifest.frames.map((m) => m.index));
  expect(frames.map((f) => f.timestampSeconds)).toEqual(manifest.frames.map((m) => m.timestampSeconds));
  for (const [i, frame] of frames.entries()) {
    const entry = entries.find((e) => e.name === manifest.frames[i]!.file)!;
    expect(frame.sizeBytes).toBe(entry.data.length);
    if (options.contentType) expect(frame.contentType).toBe(options.contentType);
    const res = await fetch(urlAt(frame.url, options.origin));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(frame.contentType);
    expect(res.headers.get("content-length")).toBe(String(entry.data.length));
    expect(res.headers.get("cache-control")).toMatch(/^private, max-age=\d+$/);
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{8}-[0-9a-f]+"$/);
    expect(Buffer.from(await res.arrayBuffer()).equals(entry.data)).toBe(true);
  }
  return frames;
}

export const urlAt = (url: string, origin?: string): string => {
  if (origin === undefined) return url;
  const u = new URL(url);
  return `${origin}${u.pathname}${u.search}`;
};
