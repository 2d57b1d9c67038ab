import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runVproc, type VprocRun } from "./support/run-vproc.js";
import { removeDir, startTestProduct, type TestProduct } from "../../e2e/test/support/product.js";
import { readZip } from "../../e2e/test/support/zip.js";

let product: TestProduct;
let dir: string;
let env: NodeJS.ProcessEnv;

type Run = VprocRun;
/** The real CLI: its own config dir, the started server, no TTY. */
const vproc = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> =>
  runVproc(args, { cwd: dir, env: { ...env, ...extraEnv }, timeoutMs: 60_000 });
const json = <T = Record<string, any>>(r: Run): T => JSON.parse(r.stdout) as T;

interface FrameOut {
  index: number;
  timestampSeconds: number;
  sizeBytes: number;
  width: number;
  height: number;
  url: string;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vproc-frames-"));
  const video = path.join(dir, "clip.mp4");
  [product] = await Promise.all([
    startTestProduct(),
    new Promise<void>((resolve, reject) =>
      execFile(
        "ffmpeg",
        [
          ...["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-t", "11"],
          ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "10", video],
        ],
        (e: Error | null) => (e ? reject(e) : resolve()),
      ),
    ),
  ]);
  const { PATH, HOME } = process.env;
  env = { PATH, HOME, XDG_CONFIG_HOME: path.join(dir, "config"), VPROC_SERVER: product.url! };
}, 60_000);

afterAll(async () => {
  await product?.close();
  if (product) await removeDir(product.dataDir);
  await removeDir(dir);
});

describe("vproc frames", () => {
  let jobId: string;

  it("lists every frame of a job over several pages, each URL serving its entry", async () => {
    const signup = await vproc(["signup", "--email", "frames@example.com", "--json"], {
      VPROC_PASSWORD: "correct horse battery 9",
    });
    expect(signup.code).toBe(0);
    // 110 frames: more than one page of 100.
    const up = await vproc(["upload", path.join(dir, "clip.mp4"), "--every", "0.1", "--wait", "--json"]);
    expect([up.code, up.stderr]).toEqual([0, ""]);
    const job = json(up).job as { id: string; result: { frameCount: number; downloadUrl: string } };
    jobId = job.id;
    expect(job.result.frameCount).toBe(110);

    const r = await vproc(["frames", jobId, "--json"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const frames = json<{ ok: boolean; frames: FrameOut[] }>(r).frames;
    expect(frames.map((f) => f.index)).toEqual(Array.from({ length: 110 }, (_, i) => i + 1));

    const entries = await readZip(Buffer.from(await (await fetch(job.result.downloadUrl)).arrayBuffer()));
    for (const f of [frames[0]!, frames[100]!, frames[109]!]) {
      const entry = entries.find((e) => e.name === `frame_${String(f.index).padStart(6, "0")}.jpg`)!;
      expect(f.sizeBytes).toBe(entry.data.length);
      const body = Buffer.from(await (await fetch(f.url)).arrayBuffer());
      expect(body.equals(entry.data)).toBe(true);
    }
  }, 120_000);

  it("prints one line per frame: index, timestamp, size, dimensions, url; --limit stops early", async () => {
    const r = await vproc(["frames", jobId, "--limit", "3"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/index\s+time\s+size/);
    expect(lines[2]).toMatch(/^\s+2\s+0\.100 s\s+[\d.]+ [kKMG]?i?B\s+160x120\s+http:\/\/localhost:\d+\/frames\/\S+$/);
  });

  it("exit 1 for a job that is not yours, exit 2 for a bad --limit", async () => {
    const missing = await vproc(["frames", "RXh0cmFjdGlvbkpvYjpub3BlCg"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no job");
    expect((await vproc(["frames", jobId, "--limit", "0"])).code).toBe(2);
    expect((await vproc(["frames"])).code).toBe(2);
  });
});
