import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export interface ProductProcess {
  readonly child: ChildProcess;
  /** The URL it prints once ready ("... is ready on http://...:PORT"); only roles that serve HTTP print one. */
  readonly ready: Promise<string>;
}

/** Each role's entry, as `npm start`, `start:api` and `start:worker` run it from source. */
const ENTRIES = { all: "standalone/src/main.ts", api: "api/src/main.ts", worker: "worker/src/main.ts" } as const;

/** `npm start` / `start:api` / `start:worker` as a real child process: it can be signalled or killed. */
export function spawnProduct(role: "all" | "api" | "worker", env: Record<string, string>): ProductProcess {
  // As `npm start` runs it: vitest's NODE_ENV=test would switch libraries into test behaviour.
  const { NODE_ENV: _testEnv, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", ENTRIES[role]], {
    cwd: repoRoot,
    env: { ...inherited, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  // Always drained, so a chatty child never blocks on a full pipe.
  let out = "";
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out = (out + chunk.toString("utf8")).slice(-10_000);
      const match = /is ready on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code} before it was ready`)));
  });
  ready.catch(() => undefined);
  return { child, ready };
}

export interface NodeProcess {
  readonly child: ChildProcess;
  /** The first match of `readyPattern` in its stdout (group 1 if there is one), e.g. the URL it serves. */
  readonly ready: Promise<string>;
  /** The last 20,000 characters it wrote to stdout and stderr: for failure messages. */
  output(): string;
}

/**
 * `node ARGS` as a child process with exactly `env` (nothing inherited: what it may find, e.g. on
 * PATH, is what the test gave it). `ready` rejects, with the child's output, if it exits first.
 */
export function spawnNode(
  args: readonly string[],
  options: { readonly env: Record<string, string>; readonly readyPattern: RegExp; readonly cwd?: string },
): NodeProcess {
  const child = spawn(process.execPath, [...args], {
    cwd: options.cwd ?? repoRoot,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  // Always drained, so a chatty child never blocks on a full pipe.
  const append = (chunk: Buffer) => (out = (out + chunk.toString("utf8")).slice(-20_000));
  child.stderr.on("data", append);
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      append(chunk);
      const match = options.readyPattern.exec(out);
      if (match) resolve(match[1] ?? match[0]);
    });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      reject(new Error(`node ${args.join(" ")} exited (${code ?? signal}) before it was ready:\n${out}`)),
    );
  });
  ready.catch(() => undefined);
  return { child, ready, output: () => out };
}

/** Resolves with the exit code, or rejects when the process is still running after `ms`. */
export function exitWithin(child: ChildProcess, ms: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process still running after ${ms} ms`)), ms);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** SIGKILLs the children still running and waits until they are gone (before their data dir is removed). */
export async function killAll(children: readonly ChildProcess[]): Promise<void> {
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const c of running) c.kill("SIGKILL");
  await Promise.all(running.map((c) => exitWithin(c, 15_000)));
}
