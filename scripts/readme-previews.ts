/**
 * `node --import tsx scripts/readme-previews.ts`: makes the README's pictures of the four previews
 * (docs/previews/) from a generated video, through the engine exactly as a job runs it: a black
 * start, a test pattern, a blurred stretch, a fractal zoom, another test pattern and a fade to black,
 * so the best thumbnails have something to reject.
 */
import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import yauzl from "yauzl";
import { parseExtractionOptions, type ExtractionOptionsInput } from "@vp/domain";
import { extract } from "@vp/engine";

const exec = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.join(root, "docs/previews");
const S = "size=640x360:rate=30";

async function makeVideo(file: string): Promise<void> {
  const graph = [
    `color=c=black:${S}:d=1,format=yuv420p[a]`,
    `testsrc2=${S}:d=6,format=yuv420p[b]`,
    `testsrc2=${S}:d=2,boxblur=8,format=yuv420p[c]`,
    `mandelbrot=${S},trim=duration=6,setpts=PTS-STARTPTS,format=yuv420p[d]`,
    `testsrc=${S}:d=6,format=yuv420p[e]`,
    `testsrc2=${S}:d=2,fade=t=out:st=0:d=2,format=yuv420p[f]`,
    "[a][b][c][d][e][f]concat=n=6:v=1:a=0",
  ].join(";");
  await exec("ffmpeg", [
    "-v",
    "error",
    "-y",
    "-filter_complex",
    graph,
    "-c:v",
    "libx264",
    "-preset",
    "veryfast",
    "-pix_fmt",
    "yuv420p",
    "-g",
    "30",
    file,
  ]);
}

function unzip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error("no zip"));
      const out = new Map<string, Buffer>();
      zip.on("entry", (e: yauzl.Entry) =>
        zip.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2 ?? new Error("no stream"));
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out.set(e.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        }),
      );
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

async function run(video: string, input: ExtractionOptionsInput, zipFile: string): Promise<Map<string, Buffer>> {
  const parsed = parseExtractionOptions(input, { maxFrames: 1000 });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  await extract({
    inputPath: video,
    options: parsed.value,
    output: createWriteStream(zipFile),
    limits: { maxFrames: 1000, timeoutSeconds: 600 },
  });
  return unzip(zipFile);
}

const work = await mkdtemp(path.join(tmpdir(), "vp-readme-previews-"));
try {
  const video = path.join(work, "sample-video.mp4");
  await makeVideo(video);
  await mkdir(outDir, { recursive: true });
  const previews = await run(
    video,
    {
      mode: "KEYFRAMES",
      includeFrames: false,
      storyboard: { columns: 10 },
      contactSheet: { count: 12, columns: 4, tileWidth: 240, title: "sample-video.mp4" },
      animated: { clips: 4, clipSeconds: 1.5, width: 320, fps: 10, maxBytes: 700 * 1024 },
    },
    path.join(work, "previews.zip"),
  );
  for (const name of ["storyboard.jpg", "contact-sheet.jpg", "preview.webp"])
    await writeFile(path.join(outDir, name), previews.get(name) as Buffer);

  const best = await run(video, { mode: "BEST", count: 4, width: 240 }, path.join(work, "best.zip"));
  const frames = [...best.keys()].filter((n) => n.startsWith("frame_")).sort();
  for (const f of frames) await writeFile(path.join(work, f), best.get(f) as Buffer);
  // One picture of the four: side by side, 4 px apart.
  await exec("ffmpeg", [
    ...["-v", "error", "-y"],
    ...frames.flatMap((f) => ["-i", path.join(work, f)]),
    "-filter_complex",
    `${frames.map((_, i) => `[${i}:v]format=yuvj444p,pad=iw+4:ih:0:0:color=white[p${i}]`).join(";")};${frames.map((_, i) => `[p${i}]`).join("")}hstack=inputs=${frames.length}`,
    "-q:v",
    "4",
    path.join(outDir, "best.jpg"),
  ]);
  const manifest = JSON.parse((best.get("manifest.json") as Buffer).toString()) as {
    frames: { timestampSeconds: number; scores: { score: number } }[];
    previews: { best: { rejected: { reason: string }[] } };
  };
  const reasons = manifest.previews.best.rejected.reduce<Record<string, number>>(
    (m, r) => ({ ...m, [r.reason]: (m[r.reason] ?? 0) + 1 }),
    {},
  );
  console.log(
    `best frames at ${manifest.frames.map((f) => `${f.timestampSeconds} s (score ${f.scores.score})`).join(", ")}; rejected: ${JSON.stringify(reasons)}`,
  );
  console.log(
    `wrote ${["storyboard.jpg", "contact-sheet.jpg", "preview.webp", "best.jpg"].map((n) => path.relative(root, path.join(outDir, n))).join(", ")}`,
  );
  await readFile(path.join(outDir, "best.jpg"));
} finally {
  await rm(work, { recursive: true, force: true });
}
