// Preloaded into a child process under test (`node --import <this file> ...`): every child process
// it starts is appended, one JSON line each, to the file named by VP_TEST_SPAWN_LOG. The file is
// created (empty) as soon as this module loads, so "exists and is empty" proves both that the
// recorder ran and that nothing was spawned. Plain JavaScript: it must load into a built bundle
// started with a bare `node`, where no TypeScript loader is registered.
import { appendFileSync } from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { promisify } from "node:util";

const log = process.env.VP_TEST_SPAWN_LOG;
if (log) {
  appendFileSync(log, "");
  const childProcess = createRequire(import.meta.url)("node:child_process");
  const record = (fn, args) =>
    appendFileSync(
      log,
      `${JSON.stringify({ fn, command: String(args[0]), args: Array.isArray(args[1]) ? args[1].map(String) : [] })}\n`,
    );
  for (const fn of ["spawn", "spawnSync", "execFile", "execFileSync", "exec", "execSync", "fork"]) {
    const original = childProcess[fn];
    const wrapped = function (...args) {
      record(fn, args);
      return original.apply(this, args);
    };
    // promisify(execFile) and promisify(exec) answer { stdout, stderr } through this hook: keep it.
    const custom = original[promisify.custom];
    if (typeof custom === "function")
      Object.defineProperty(wrapped, promisify.custom, {
        value: (...args) => {
          record(fn, args);
          return custom(...args);
        },
      });
    childProcess[fn] = wrapped;
  }
  // ESM `import { spawn } from "node:child_process"` in modules loaded after this one sees the wrappers.
  syncBuiltinESMExports();
}
