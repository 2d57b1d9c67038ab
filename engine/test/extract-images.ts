import { createWriteStream } from "node:fs";
import path from "node:path";
import { extractionOptionsSchema, type ExtractionOptionsInput } from "@vp/domain";
import { extract, type ExtractRequest, type ExtractResult, type ProbeResult } from "../src/index.js";
import { readZip } from "./fixtures.js";

export interface ExtractedImages {
  readonly result: ExtractResult;
  /** The archive's images in order (the manifest left out). */
  readonly images: Buffer[];
}

/** One extraction into a ZIP in `dir` (two processes, generous limits unless overridden), read back. */
export async function extractImages(
  dir: string,
  file: string,
  opts: ExtractionOptionsInput,
  extra: { readonly probe?: ProbeResult; readonly limits?: Partial<ExtractRequest["limits"]> } = {},
): Promise<ExtractedImages> {
  const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}.zip`);
  const result = await extract({
    inputPath: file,
    options: extractionOptionsSchema.parse(opts),
    output: createWriteStream(out),
    ...(extra.probe ? { probe: extra.probe } : {}),
    limits: { maxFrames: 500, timeoutSeconds: 120, concurrency: 2, ...extra.limits },
  });
  const images = (await readZip(out)).filter((e) => e.name !== "manifest.json").map((e) => e.data);
  return { result, images };
}
