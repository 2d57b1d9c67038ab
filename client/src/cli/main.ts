import { pathToFileURL } from "node:url";
import { EXIT, UsageError, type CliIo, type Command, type ExitCode } from "./io.js";

/**
 * Every command, by the word that runs it, loaded only when run: `vproc extract` then never pays
 * for the server commands' client and WebSocket code. New commands add one line here and one file
 * in commands/.
 */
export const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  extract: async () => (await import("./commands/extract.js")).extractCommand,
  signup: async () => (await import("./commands/signup.js")).signupCommand,
  confirm: async () => (await import("./commands/confirm.js")).confirmCommand,
  login: async () => (await import("./commands/login.js")).loginCommand,
  logout: async () => (await import("./commands/logout.js")).logoutCommand,
  upload: async () => (await import("./commands/upload.js")).uploadCommand,
  list: async () => (await import("./commands/list.js")).listCommand,
  status: async () => (await import("./commands/status.js")).statusCommand,
  watch: async () => (await import("./commands/watch.js")).watchCommand,
  download: async () => (await import("./commands/download.js")).downloadCommand,
  frames: async () => (await import("./commands/frames.js")).framesCommand,
  cancel: async () => (await import("./commands/job-actions.js")).cancelCommand,
  retry: async () => (await import("./commands/job-actions.js")).retryCommand,
  delete: async () => (await import("./commands/job-actions.js")).deleteCommand,
  webhooks: async () => (await import("./commands/webhooks.js")).webhooksCommand,
};

const help = async (): Promise<string> => {
  const commands = await Promise.all(
    Object.entries(COMMANDS).map(async ([name, load]) => [name, await load()] as const),
  );
  return `vproc: turn videos into still images

Usage: vproc COMMAND [options]    (vproc COMMAND --help for details)

Commands:
${commands.map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join("\n")}

Server commands take --server URL (default $VPROC_SERVER, else http://localhost:4000) and --json.

Examples:
  vproc extract talk.mp4 --every 10 -o talk.zip           (offline, no account)
  vproc signup && vproc upload talk.mp4 --count 12 --download frames/

Exit codes: 0 success, 1 failed (the job failed, or the server refused: wrong password, not a
video, not found, not logged in), 2 usage error, 3 server or network error.
`;
};

export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout).write(await help());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`vproc: unknown command "${name}" (try vproc --help)\n`);
    return EXIT.USAGE;
  }
  try {
    return await (await load()).run(rest, io);
  } catch (err) {
    // parseArgs reports unknown or malformed flags with these codes.
    const code = (err as { code?: string }).code;
    if (err instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))) {
      io.stderr.write(`vproc ${name}: ${(err as Error).message}\n`);
      return EXIT.USAGE;
    }
    io.stderr.write(`vproc ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.FAILED;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
