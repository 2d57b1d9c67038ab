import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Benchmarks are not tests: this only proves `npm run bench` still runs end to end on a 20 s
 * video, all sides (vproc, the resident worker engine, the recipe) produce the same number of
 * frames, and memory stays within its bounds.
 */
describe("npm run bench -- --smoke", () => {
  it("runs every case, with matching frame counts and bounded memory", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "engine/bench/bench.ts", "--smoke"], {
      cwd: repoRoot,
      timeout: 170_000,
      maxBuffer: 10 * 1024 * 1024,
    });
    const rows = stdout.split("\n").filter((l) => /^(every 1 s|every 10 s|20 evenly spaced)\s/.test(l));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const [, ours, ref] = /(\d+) \/ (\d+)\s/.exec(row) ?? [];
      expect(Number(ours)).toBeGreaterThan(0);
      expect(ours).toBe(ref);
      const [node, worker, ffmpeg] = row.trim().split(/\s+/).slice(-5, -2).map(Number);
      expect(node).toBeLessThanOrEqual(150);
      expect(worker).toBeGreaterThan(0);
      expect(ffmpeg).toBeLessThanOrEqual(120);
    }
  }, 180_000);
});
