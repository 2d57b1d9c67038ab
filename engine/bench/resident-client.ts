import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** One job's figures, as resident-engine.ts measured them. */
export interface ResidentJob {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly frameCount: number;
  readonly strategy: string;
  readonly decoder: string;
  /** The resident process's own peak RSS so far (MiB). */
  readonly peakMiB: number;
}

export interface Resident {
  /** Probes `file` once, untimed, as a video's first job stores its probe. */
  probe(file: string): Promise<void>;
  job(file: string, options: object, output: string): Promise<ResidentJob>;
  close(): Promise<void>;
}

/** Starts resident-engine.ts (the worker's way of running the engine) as a child; one request at a time. */
export function startResident(): Resident {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "resident-engine.ts");
  const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["pipe", "pipe", "inherit"] });
  const replies = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let queue: Promise<unknown> = Promise.resolve();
  const ask = <T>(req: object): Promise<T> => {
    const answer = queue.then(async () => {
      child.stdin.write(JSON.stringify(req) + "\n");
      const next = await replies.next();
      if (next.done) throw new Error("the resident engine exited");
      const reply = JSON.parse(next.value) as { ok: boolean; error?: string } & T;
      if (!reply.ok) throw new Error(`resident engine: ${reply.error}`);
      return reply;
    });
    queue = answer.catch(() => undefined);
    return answer;
  };
  return {
    probe: async (file) => void (await ask({ file })),
    job: (file, options, output) => ask<ResidentJob>({ file, options, output }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once("close", () => resolve());
        child.stdin.end();
      }),
  };
}
