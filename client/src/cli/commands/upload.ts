import { stat } from "node:fs/promises";
import path from "node:path";
import { UserErrorsError } from "../../sdk/index.js";
import { assertSucceeded, saveArchive } from "../archive.js";
import { JobFailedError } from "../exit-codes.js";
import { followJob } from "../follow.js";
import { EXIT, UsageError } from "../io.js";
import { formatBytes, progressLine, renderBytesLine } from "../progress.js";
import { normalizeOptionalValues, SAMPLING_FLAGS, SAMPLING_HELP } from "../sampling-options.js";
import { serverExtraction } from "../server-options.js";
import { COMMON_HELP, serverCommand, str } from "../server-command.js";

export const uploadCommand = serverCommand({
  name: "upload",
  summary: "upload a video; with --wait follow the job, with --download fetch the frames",
  usage: `vproc upload VIDEO [options] [--wait] [--download DIR|FILE.zip]

Uploads VIDEO (streamed, with a progress bar on a terminal) and queues its extraction with the
sampling options below, the same words as vproc extract. Options the server does not accept are
refused before anything is sent.

${SAMPLING_HELP}
Upload:
  --wait                 follow the job live until it ends (exit 1 if it fails)
  --download DEST        implies --wait; FILE.zip keeps the ZIP, anything else is a directory
                         the frames and manifest.json are unpacked into
  --name NAME            the file name to show on the server (default: VIDEO's)
${COMMON_HELP}

Examples:
  vproc upload talk.mp4 --every 10
  vproc upload clip.mov --count 12 --width 320 --wait --download thumbs/
  vproc upload film.mkv --scenes 0.4 --format webp --download scenes.zip --json`,
  options: { ...SAMPLING_FLAGS, wait: { type: "boolean" }, download: { type: "string" }, name: { type: "string" } },
  normalize: normalizeOptionalValues,
  positionals: [1, 1, "VIDEO"],
  async run({ values, positionals, io, session, showProgress, print }) {
    const file = positionals[0] as string;
    const extraction = serverExtraction(values);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new UsageError(`${file}: no such file`);
    const client = await session.authenticated();

    const bar = progressLine(io.stderr, showProgress);
    const started = Date.now();
    const { video, job } = await client
      .uploadVideo(
        file,
        { extraction, filename: str(values, "name") ?? path.basename(file) },
        {
          onProgress: (sent, total) =>
            bar.update(renderBytesLine("upload  ", sent, total, (Date.now() - started) / 1000), sent === total),
        },
      )
      .catch((err: unknown) => {
        if (err instanceof UserErrorsError && err.code === "UNREADABLE_VIDEO") {
          throw new JobFailedError(
            `${file} is not a video the server can read: ${err.userErrors[0]?.message.replace(/\.$/, "")} (UNREADABLE_VIDEO)`,
          );
        }
        throw err;
      })
      .finally(() => bar.done());
    const uploaded = {
      id: video.id,
      filename: video.filename,
      sizeBytes: video.sizeBytes,
      durationSeconds: video.metadata?.durationSeconds ?? null,
    };
    const dest = str(values, "download");
    if (!values.wait && dest === undefined) {
      print(
        `Uploaded ${video.filename} (${formatBytes(video.sizeBytes)}): video ${video.id}, job ${job.id} ${job.status}.\nFollow it with: vproc watch ${job.id}`,
        {
          ok: true,
          video: uploaded,
          job,
        },
      );
      return EXIT.OK;
    }
    const final = await followJob(client, job.id, { stderr: io.stderr, showProgress });
    assertSucceeded(final);
    const frames = final.result?.frameCount ?? final.framesExtracted;
    if (dest === undefined) {
      print(`Job ${final.id} SUCCEEDED: ${frames} frames. Download them with: vproc download ${final.id}`, {
        ok: true,
        video: uploaded,
        job: final,
      });
      return EXIT.OK;
    }
    const saved = await saveArchive(client, final.id, dest, { stderr: io.stderr, showProgress });
    print(
      `Job ${final.id} SUCCEEDED: ${frames} frames ${saved.unpacked ? "unpacked into" : "saved to"} ${saved.path}`,
      {
        ok: true,
        video: uploaded,
        job: final,
        download: saved,
      },
    );
    return EXIT.OK;
  },
});
