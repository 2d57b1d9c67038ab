import { GraphQLRequestError, type Frame, type FramePage } from "../../sdk/index.js";
import { JobFailedError } from "../exit-codes.js";
import { EXIT, UsageError } from "../io.js";
import { formatBytes } from "../progress.js";
import { COMMON_HELP, serverCommand, str } from "../server-command.js";

const frameLine = (f: Frame): string =>
  `${String(f.index).padStart(6)}  ${f.timestampSeconds.toFixed(3).padStart(10)} s  ${formatBytes(f.sizeBytes).padStart(9)}  ${f.width}x${f.height}  ${f.url}`;

export const framesCommand = serverCommand({
  name: "frames",
  summary: "list a succeeded job's frames, each with a short-lived link to its image",
  usage: `vproc frames JOB [--limit N]

Lists the frames of a SUCCEEDED job, page after page: index, timestamp, size, dimensions and a
signed link that serves that one frame (valid for about 15 minutes; run the command again for
fresh links). No need to download the archive. Exit 1 when there is no such job of yours, or it
has not succeeded.

Options:
  --limit N     stop after N frames (default: all)
${COMMON_HELP}

Examples:
  vproc frames RXh0cmFjdGlvbkpvYjox
  vproc frames RXh0cmFjdGlvbkpvYjox --limit 1 --json | jq -r '.frames[0].url' | xargs curl -so first.jpg`,
  options: { limit: { type: "string" } },
  positionals: [1, 1, "JOB"],
  async run({ positionals, values, session, print }) {
    const id = positionals[0] as string;
    const limitFlag = str(values, "limit");
    const limit = limitFlag === undefined ? Infinity : Number(limitFlag);
    if (limitFlag !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw new UsageError("--limit must be a whole number of 1 or more");
    const client = await session.authenticated();
    const frames: Frame[] = [];
    let after: string | null = null;
    for (;;) {
      const page: FramePage = await client
        .frames(id, { first: Math.min(100, limit - frames.length), after })
        .catch((e: unknown) => {
          if (e instanceof GraphQLRequestError && e.code === "NOT_FOUND")
            throw new JobFailedError(`no job ${id} (vproc list shows yours)`);
          throw e;
        });
      if (page.jobStatus !== "SUCCEEDED")
        throw new JobFailedError(`job ${id} is ${page.jobStatus}: it has frames once it has SUCCEEDED`);
      frames.push(...page.frames);
      if (!page.hasNextPage || page.endCursor === null || frames.length >= limit) break;
      after = page.endCursor;
    }
    print(
      frames.length
        ? `${"index".padStart(6)}  ${"time".padStart(12)}  ${"size".padStart(9)}  pixels   url\n${frames.map(frameLine).join("\n")}`
        : "No frames.",
      { ok: true, jobId: id, frames },
    );
    return EXIT.OK;
  },
});
