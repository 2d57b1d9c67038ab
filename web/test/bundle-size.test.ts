import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ensureWebBuilt } from "../src/build/build.js";

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

const BUDGET_BYTES = 250 * 1024;

describe("web app bundle", () => {
  it("loads under 250 KB of gzipped JavaScript at first, GraphiQL not included, nothing from another origin", async () => {
    const dir = await ensureWebBuilt();
    const manifest = JSON.parse(await readFile(join(dir, ".vite/manifest.json"), "utf8")) as Record<
      string,
      ManifestChunk
    >;
    const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
    expect(entries.map(([src]) => src)).toEqual(["index.html"]);

    // The entry and everything it imports statically: what the browser must load before the first render.
    const initial = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key]!;
      if (initial.has(chunk.file)) return;
      initial.add(chunk.file);
      chunk.imports?.forEach(visit);
    };
    visit(entries[0]![0]);
    const sizes = await Promise.all(
      [...initial].map(async (file) => {
        const code = await readFile(join(dir, file));
        expect(code.toString("utf8")).not.toMatch(/graphiql/i);
        return gzipSync(code, { level: 9 }).length;
      }),
    );
    const total = sizes.reduce((a, b) => a + b, 0);
    process.stdout.write(`web app initial JS: ${(total / 1024).toFixed(1)} KB gzip in ${initial.size} file(s)\n`);
    expect(total).toBeLessThan(BUDGET_BYTES);

    const html = await readFile(join(dir, "index.html"), "utf8");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
