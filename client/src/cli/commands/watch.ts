import { MyJobUpdatesDocument } from "../../generated/graphql.js";
import { assertSucceeded } from "../archive.js";
import { followJob } from "../follow.js";
import { jobLine } from "../format.js";
import { EXIT } from "../io.js";
import { COMMON_HELP, serverCommand } from "../server-command.js";

/** What `vproc watch` asks the server to replay at each (re)subscribe: covers any reconnect gap. */
const RECONNECT_REPLAY_SECONDS = 120;

export const watchCommand = serverCommand({
  name: "watch",
  summary: "follow one job to its end, or every change to your jobs",
  usage: `vproc watch [JOB]

With JOB: follows it live (its current state first, then each change) until it ends; exit 0 when
it SUCCEEDED, 1 when it FAILED or was CANCELLED. Without JOB: prints the current state of your live
and recently changed jobs, then every change to any of them as it happens, until Ctrl-C (after a
dropped connection it reconnects and prints what changed meanwhile). With --json, one JSON object
per line.

${COMMON_HELP}

Examples:
  vproc watch RXh0cmFjdGlvbkpvYjox
  vproc watch --json | jq -c '{id, status, progress}'`,
  positionals: [0, 1, "JOB"],
  async run({ positionals, io, json, showProgress, session }) {
    const client = await session.authenticated();
    const line = (job: Parameters<typeof jobLine>[0]): void =>
      void io.stdout.write((json ? JSON.stringify(job) : jobLine(job)) + "\n");
    const id = positionals[0];
    if (id !== undefined) {
      let lastStatus = "";
      const final = await followJob(client, id, {
        stderr: io.stderr,
        showProgress,
        // On a terminal the bar shows progress and stdout gets status changes; in a pipe, every update.
        onUpdate: (job) => {
          if (!showProgress || job.status !== lastStatus) line(job);
          lastStatus = job.status;
        },
      });
      assertSucceeded(final);
      return EXIT.OK;
    }
    // The subscription is re-sent as it is after a reconnect: the replay covers what changed meanwhile
    // (a job already printed is printed again with its current state).
    const updates = client.subscribe(MyJobUpdatesDocument, { replaySeconds: RECONNECT_REPLAY_SECONDS });
    const stop = (): void => void updates.return?.();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      for await (const { myJobUpdates } of updates) line(myJobUpdates);
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
    return EXIT.OK;
  },
});
