import { saveArchive } from "../archive.js";
import { EXIT } from "../io.js";
import { COMMON_HELP, serverCommand, str } from "../server-command.js";

export const downloadCommand = serverCommand({
  name: "download",
  summary: "download a finished job's frames (ZIP, or unpacked into a directory)",
  usage: `vproc download JOB [-o FILE.zip|DIR]

Downloads the ZIP of a SUCCEEDED job. -o FILE.zip keeps the ZIP; -o DIR (any other name, or an
existing directory) unpacks the frames and manifest.json there; entries can never land outside DIR.
Default: NAME-frames.zip in the current directory. Exit 1 when the job has no archive.

Options:
  -o, --output FILE.zip|DIR
${COMMON_HELP}

Examples:
  vproc download RXh0cmFjdGlvbkpvYjox
  vproc download RXh0cmFjdGlvbkpvYjox -o frames/`,
  options: { output: { type: "string", short: "o" } },
  positionals: [1, 1, "JOB"],
  async run({ values, positionals, io, session, showProgress, print }) {
    const id = positionals[0] as string;
    const saved = await saveArchive(await session.authenticated(), id, str(values, "output"), {
      stderr: io.stderr,
      showProgress,
    });
    print(saved.unpacked ? `${saved.files} files unpacked into ${saved.path}` : `Saved ${saved.path}`, {
      ok: true,
      jobId: id,
      download: saved,
    });
    return EXIT.OK;
  },
});
