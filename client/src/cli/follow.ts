import type { Client, Job } from "../sdk/index.js";
import { progressLine, renderJobLine } from "./progress.js";

/** Follows a job to its end with a progress bar (TTY only); `onUpdate` sees every state. */
export async function followJob(
  client: Client,
  jobId: string,
  ui: {
    readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
    readonly showProgress: boolean;
    readonly onUpdate?: (job: Job) => void;
  },
): Promise<Job> {
  const bar = progressLine(ui.stderr, ui.showProgress);
  const controller = new AbortController();
  const onSignal = (): void =>
    controller.abort(new Error("interrupted; the job goes on on the server (vproc watch " + jobId + ")"));
  process.once("SIGINT", onSignal);
  try {
    const job = await client.waitForJob(jobId, {
      signal: controller.signal,
      onUpdate: (j) => {
        bar.update(renderJobLine("frames  ", j), j.status !== "RUNNING");
        ui.onUpdate?.(j);
      },
    });
    return job;
  } catch (err) {
    if (controller.signal.aborted) throw controller.signal.reason;
    throw err;
  } finally {
    bar.done();
    process.off("SIGINT", onSignal);
  }
}
