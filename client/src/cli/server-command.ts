import { parseArgs, type ParseArgsConfig } from "node:util";
import { describeError, exitCodeFor } from "./exit-codes.js";
import { EXIT, UsageError, type CliIo, type Command, type ExitCode } from "./io.js";
import { openSession, resolveServer, type Session } from "./session.js";

export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;
type Options = NonNullable<ParseArgsConfig["options"]>;

export interface ServerCommandContext {
  readonly values: FlagValues;
  readonly positionals: readonly string[];
  readonly io: CliIo;
  readonly json: boolean;
  /** Progress bars go to stderr only when it is a TTY and --json is off. */
  readonly showProgress: boolean;
  readonly session: Session;
  /** The result: `human` text on stdout, or `machine` as one JSON line with --json. */
  readonly print: (human: string, machine: object) => void;
}

export interface ServerCommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Full help, printed by --help. */
  readonly usage: string;
  readonly options?: Options;
  /** How many positional arguments: [min, max], and the word for them in messages. */
  readonly positionals: readonly [number, number, string?];
  /** Turns argv before parsing (e.g. the optional value of --scenes). */
  readonly normalize?: (argv: readonly string[]) => string[];
  run(ctx: ServerCommandContext): Promise<ExitCode>;
}

export const COMMON_HELP = `Common:
  --server URL   the server (default $VPROC_SERVER, else http://localhost:4000)
  --json         machine-readable output on stdout (one JSON document)
  -h, --help`;

/**
 * A command that talks to a server: shared flags, argument checks, and the one place where an
 * error becomes one line on stderr and an exit code (see exitCodeFor).
 */
export function serverCommand(spec: ServerCommandSpec): Command {
  return {
    summary: spec.summary,
    usage: spec.usage,
    async run(argv, io): Promise<ExitCode> {
      let json = argv.includes("--json");
      let session: Session | null = null;
      try {
        const { values, positionals } = parseArgs({
          args: spec.normalize ? spec.normalize(argv) : [...argv],
          allowPositionals: true,
          strict: true,
          options: {
            ...spec.options,
            server: { type: "string" },
            json: { type: "boolean" },
            help: { type: "boolean", short: "h" },
          },
        });
        if (values.help) {
          io.stdout.write(spec.usage + "\n");
          return EXIT.OK;
        }
        json = values.json === true;
        const [min, max, word = "argument"] = spec.positionals;
        if (positionals.length < min) throw new UsageError(`missing ${word} (see vproc ${spec.name} --help)`);
        if (positionals.length > max)
          throw new UsageError(`unexpected argument "${positionals[max]}" (see vproc ${spec.name} --help)`);
        session = openSession(resolveServer(values.server, io.env), io);
        return await spec.run({
          values,
          positionals,
          io,
          json,
          showProgress: !json && Boolean(io.stderr.isTTY),
          session,
          print: (human, machine) =>
            io.stdout.write(
              json ? JSON.stringify(machine) + "\n" : human.endsWith("\n") || human === "" ? human : human + "\n",
            ),
        });
      } catch (err) {
        const code = exitCodeFor(err);
        const message = describeError(err);
        if (json)
          io.stdout.write(
            JSON.stringify({
              ok: false,
              error: {
                code: (err as { code?: unknown }).code ?? (err as Error).name ?? "ERROR",
                message,
                exitCode: code,
              },
            }) + "\n",
          );
        io.stderr.write(`vproc ${spec.name}: ${message}\n`);
        if (io.env.VPROC_DEBUG && err instanceof Error && err.stack) io.stderr.write(err.stack + "\n");
        return code;
      } finally {
        await session?.close();
      }
    },
  };
}

export const str = (values: FlagValues, key: string): string | undefined => {
  const v = values[key];
  return typeof v === "string" ? v : undefined;
};
