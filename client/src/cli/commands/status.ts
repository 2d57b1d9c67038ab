import { JobDocument } from "../../generated/graphql.js";
import { JobFailedError } from "../exit-codes.js";
import { jobDetails } from "../format.js";
import { EXIT } from "../io.js";
import { COMMON_HELP, serverCommand } from "../server-command.js";

export const statusCommand = serverCommand({
  name: "status",
  summary: "show one job: status, progress, error or result",
  usage: `vproc status JOB

Shows one job. Exit 0 whatever its status (use vproc watch to wait for the end); exit 1 when
there is no such job of yours.

${COMMON_HELP}

Examples:
  vproc status RXh0cmFjdGlvbkpvYjox
  vproc status RXh0cmFjdGlvbkpvYjox --json | jq .job.status`,
  positionals: [1, 1, "JOB"],
  async run({ positionals, session, print }) {
    const id = positionals[0] as string;
    const { job } = await (await session.authenticated()).request(JobDocument, { id });
    if (!job) throw new JobFailedError(`no job ${id} (vproc list shows yours)`);
    print(jobDetails(job), { ok: true, job });
    return EXIT.OK;
  },
});
