/**
 * The engine as the worker runs it, for the bench's "worker" column: one resident process (its
 * modules loaded once), each video probed once as its first job does (the probe is then stored with
 * the video), and every job given that stored probe. Jobs arrive as JSON lines on stdin; each
 * answers one line on stdout with its wall and CPU seconds (this process and its reaped children).
 *
 * `{"file": F}` probes F (untimed: the upload's cost, not a job's);
 * `{"file": F, "options": {...}, "output": Z}` runs one job into Z.
 */
import { createWriteStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import { ABSOLUTE_MAX_FRAMES, parseExtractionOptions } from "@vp/domain";
import { extract, probe, type ProbeResult } from "../src/index.js";

const request = z.object({ file: z.string(), options: z.unknown().optional(), output: z.string().optional() });

/** CPU seconds of this process and of every child it has reaped (the kernel's own tallies). */
function cpuSeconds(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
  // utime, stime, cutime, cstime: fields 14-17 of stat(5), 12-15 after the command name.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  return ticks / 100;
}

const peakMiB = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024;

const probes = new Map<string, ProbeResult>();

async function handle(line: string): Promise<object> {
  const req = request.parse(JSON.parse(line));
  let stored = probes.get(req.file);
  if (!stored) {
    stored = await probe(req.file);
    probes.set(req.file, stored);
  }
  if (!req.output) return { probed: req.file };
  const parsed = parseExtractionOptions(req.options, { maxFrames: ABSOLUTE_MAX_FRAMES });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  const result = await extract({
    inputPath: req.file,
    options: parsed.value,
    output: createWriteStream(req.output),
    probe: stored,
    limits: { maxFrames: ABSOLUTE_MAX_FRAMES, timeoutSeconds: 3600 },
  });
  return {
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: cpuSeconds() - cpu0,
    frameCount: result.frameCount,
    strategy: result.strategy,
    decoder: result.pickerRuns > 0 ? "picker" : "ffmpeg",
    peakMiB: peakMiB(),
  };
}

// One job at a time, as the bench asks for them.
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  try {
    process.stdout.write(JSON.stringify({ ok: true, ...(await handle(line)) }) + "\n");
  } catch (err) {
    process.stdout.write(JSON.stringify({ ok: false, error: String(err) }) + "\n");
  }
}
