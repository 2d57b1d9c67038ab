import { CancelJobDocument, DeleteVideoDocument, RetryJobDocument } from "../../generated/graphql.js";
import { UserErrorsError } from "../../sdk/index.js";
import { EXIT } from "../io.js";
import { COMMON_HELP, serverCommand } from "../server-command.js";

export const cancelCommand = serverCommand({
  name: "cancel",
  summary: "cancel a queued or running job",
  usage: `vproc cancel JOB

Cancels a QUEUED or RUNNING job. Exit 1 when it cannot be (already ended, not found).

${COMMON_HELP}

Example:
  vproc cancel RXh0cmFjdGlvbkpvYjox`,
  positionals: [1, 1, "JOB"],
  async run({ positionals, session, print }) {
    const { cancelJob } = await (
      await session.authenticated()
    ).request(CancelJobDocument, { input: { jobId: positionals[0] as string } });
    if (cancelJob.userErrors.length || !cancelJob.job)
      throw new UserErrorsError("cancelJob", cancelJob.userErrors, cancelJob);
    print(`Job ${cancelJob.job.id} is ${cancelJob.job.status}.`, { ok: true, job: cancelJob.job });
    return EXIT.OK;
  },
});

export const retryCommand = serverCommand({
  name: "retry",
  summary: "queue a failed or cancelled job again",
  usage: `vproc retry JOB

Queues a FAILED or CANCELLED job again (follow it with vproc watch JOB). Exit 1 when it cannot be.

${COMMON_HELP}

Example:
  vproc retry RXh0cmFjdGlvbkpvYjox && vproc watch RXh0cmFjdGlvbkpvYjox`,
  positionals: [1, 1, "JOB"],
  async run({ positionals, session, print }) {
    const { retryJob } = await (
      await session.authenticated()
    ).request(RetryJobDocument, { input: { jobId: positionals[0] as string } });
    if (retryJob.userErrors.length || !retryJob.job)
      throw new UserErrorsError("retryJob", retryJob.userErrors, retryJob);
    print(`Job ${retryJob.job.id} is ${retryJob.job.status} again.`, { ok: true, job: retryJob.job });
    return EXIT.OK;
  },
});

export const deleteCommand = serverCommand({
  name: "delete",
  summary: "delete a video with all its jobs and archives",
  usage: `vproc delete VIDEO

Deletes a video: its running jobs are cancelled and every archive is removed. VIDEO is the video
id (vproc list --videos, or the video id printed by vproc upload).

${COMMON_HELP}

Example:
  vproc delete VmlkZW86MQ`,
  positionals: [1, 1, "VIDEO"],
  async run({ positionals, session, print }) {
    const { deleteVideo } = await (
      await session.authenticated()
    ).request(DeleteVideoDocument, { input: { videoId: positionals[0] as string } });
    if (deleteVideo.userErrors.length || !deleteVideo.deletedVideoId)
      throw new UserErrorsError("deleteVideo", deleteVideo.userErrors, deleteVideo);
    print(`Deleted video ${deleteVideo.deletedVideoId}.`, { ok: true, deletedVideoId: deleteVideo.deletedVideoId });
    return EXIT.OK;
  },
});
