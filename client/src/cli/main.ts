import { pathToFileURL } from "node:url";
import { extractCommand } from "./commands/extract.js";
import { confirmCommand } from "./commands/confirm.js";
import { downloadCommand } from "./commands/download.js";
import { cancelCommand, deleteCommand, retryCommand } from "./commands/job-actions.js";
import { listCommand } from "./commands/list.js";
import { loginCommand } from "./commands/login.js";
import { logoutCommand } from "./commands/logout.js";
import { signupCommand } from "./commands/signup.js";
import { statusCommand } from "./commands/status.js";
import { uploadCommand } from "./commands/upload.js";
import { watchCommand } from "./commands/watch.js";
import { EXIT, UsageError, type CliIo, type Command, type ExitCode } from "./io.js";

/** Every command, by the word that runs it. New commands add one line here and one file in commands/. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  extract: extractCommand,
  signup: signupCommand,
  confirm: confirmCommand,
  login: loginCommand,
  logout: logoutCommand,
  upload: uploadCommand,
  list: listCommand,
  status: statusCommand,
  watch: watchCommand,
  download: downloadCommand,
  cancel: cancelCommand,
  retry: retryCommand,
  delete: deleteCommand,
};

const help = (): string =>
  `vproc: turn videos into still images

Usage: vproc COMMAND [options]    (vproc COMMAND --help for details)

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

Server commands take --server URL (default $VPROC_SERVER, else http://localhost:4000) and --json.

Examples:
  vproc extract talk.mp4 --every 10 -o talk.zip           (offline, no account)
  vproc signup && vproc upload talk.mp4 --count 12 --download frames/

Exit codes: 0 success, 1 failed (the job failed, or the server refused: wrong password, not a
video, not found, not logged in), 2 usage error, 3 server or network error.
`;

export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout).write(help());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`vproc: unknown command "${name}" (try vproc --help)\n`);
    return EXIT.USAGE;
  }
  try {
    return await command.run(rest, io);
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
