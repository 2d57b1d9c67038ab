import { toGlobalId, type JobEvent } from "@vp/domain";
import type { Mail } from "@vp/platform";

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** Keeps user-supplied names from breaking a header line or smuggling another one. */
const oneLine = (s: string, max = 120): string => {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const flat = s.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export interface JobMailInput {
  readonly to: string;
  readonly event: JobEvent;
  /** Base URL of the service, without a trailing slash. */
  readonly publicUrl: string;
}

/** The email for a finished job, or null for statuses nobody is told about (CANCELLED, non-terminal). */
export function renderJobFinishedMail({ to, event, publicUrl }: JobMailInput): Mail | null {
  const { videoFilename } = event;
  // Users and clients only ever see global ids: the mail must name the job the way the API does.
  const job = { ...event.job, id: toGlobalId("ExtractionJob", event.job.id) };
  const base = publicUrl.replace(/\/+$/, "");
  const playground = `${base}/graphql`;
  const name = oneLine(videoFilename) || "your video";
  const query = `query { job(id: "${job.id}") { status result { frameCount downloadUrl downloadUrlExpiresAt } } }`;

  if (job.status === "SUCCEEDED") {
    const frames = job.result?.frameCount ?? job.framesExtracted;
    const framesText = `${frames} frame${frames === 1 ? "" : "s"}`;
    return {
      to,
      subject: `Your frames are ready: ${name}`,
      text: [
        `The frames of "${name}" are ready: ${framesText} extracted.`,
        "",
        "Download the ZIP with the command-line client:",
        `    vproc download ${job.id}`,
        "",
        `or in the GraphQL playground at ${playground} ask for a fresh download link:`,
        `    ${query}`,
        "",
        `Job id: ${job.id}`,
        "",
      ].join("\n"),
      html: [
        `<p>The frames of <strong>${escapeHtml(name)}</strong> are ready: ${escapeHtml(framesText)} extracted.</p>`,
        "<p>Download the ZIP with the command-line client:</p>",
        `<pre>vproc download ${escapeHtml(job.id)}</pre>`,
        `<p>or in the <a href="${escapeHtml(playground)}">GraphQL playground</a> ask for a fresh download link:</p>`,
        `<pre>${escapeHtml(query)}</pre>`,
        `<p>Job id: <code>${escapeHtml(job.id)}</code></p>`,
      ].join("\n"),
    };
  }

  if (job.status === "FAILED") {
    const reason = job.error?.message ?? "The job failed for an unknown reason.";
    const code = job.error?.code ?? "INTERNAL";
    const advice = job.error?.retryable
      ? "This looks temporary: retrying may help (the retryJob mutation in the playground)."
      : "Retrying the same video will not help; upload a different file or change the extraction options.";
    return {
      to,
      subject: `Frame extraction failed: ${name}`,
      text: [
        `Extracting frames from "${name}" failed.`,
        "",
        `Reason: ${reason} (${code})`,
        advice,
        "",
        `Details: ${playground} -> query { job(id: "${job.id}") { status error { code message retryable } } }`,
        `Job id: ${job.id}`,
        "",
      ].join("\n"),
      html: [
        `<p>Extracting frames from <strong>${escapeHtml(name)}</strong> failed.</p>`,
        `<p>Reason: ${escapeHtml(reason)} (<code>${escapeHtml(code)}</code>)</p>`,
        `<p>${escapeHtml(advice)}</p>`,
        `<p>Details in the <a href="${escapeHtml(playground)}">GraphQL playground</a>. Job id: <code>${escapeHtml(job.id)}</code></p>`,
      ].join("\n"),
    };
  }
  return null;
}
