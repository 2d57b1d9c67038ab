import { useId, useState, type ReactNode } from "react";
import { useMutation, useQuery } from "urql";
import { ProgressBar } from "../components/progress-bar.js";
import { StatusBadge } from "../components/status-badge.js";
import { containerName } from "../components/container-name.js";
import { formatBytes, formatDate, formatDuration } from "../components/format.js";
import {
  WebCancelJobDocument,
  WebDeleteVideoDocument,
  WebRetryJobDocument,
  WebStartExtractionDocument,
  WebVideoDocument,
  type WebJobFragment,
} from "../generated/graphql.js";
import { errorMessage } from "../graphql/error-message.js";
import { describeOptions } from "../jobs/describe-options.js";
import { Link, navigate } from "../router.js";
import { SamplingFields } from "../sampling/sampling-form.js";
import {
  DEFAULT_SAMPLING,
  errorsFromServer,
  toExtractionInput,
  type FieldErrors,
  type SamplingForm,
} from "../sampling/sampling-options.js";
import { FrameGallery } from "./frame-gallery.js";

export function VideoPage({ id }: { readonly id: string }) {
  const [{ data, fetching, error }] = useQuery({ query: WebVideoDocument, variables: { id } });
  const video = data?.video;
  if (error && !video)
    return (
      <p className="form-error" role="alert">
        {errorMessage(error)}
      </p>
    );
  if (!video) return fetching ? <p role="status">Loading…</p> : <NotFound />;
  const jobs = video.jobs.nodes;
  // A previews-only job has no frames to browse: the gallery shows the latest job that has some.
  const shown = jobs.find((j) => j.status === "SUCCEEDED" && j.options.includeFrames);
  const m = video.metadata;
  return (
    <>
      <p>
        <Link href="/videos">← All videos</Link>
      </p>
      <h1 className="video-title">{video.filename}</h1>
      <section className="card" aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <dl className="meta">
          <Meta term="Status">
            <StatusBadge status={video.status} />
          </Meta>
          {video.rejectionReason && <Meta term="Why rejected">{video.rejectionReason}</Meta>}
          <Meta term="Size">{formatBytes(video.sizeBytes)}</Meta>
          <Meta term="Uploaded">{formatDate(video.createdAt)}</Meta>
          {m && (
            <>
              <Meta term="Duration">{formatDuration(m.durationSeconds)}</Meta>
              <Meta term="Resolution">
                {m.width}×{m.height}
              </Meta>
              <Meta term="Codec">{m.videoCodec}</Meta>
              <Meta term="Frame rate">{m.frameRate.toFixed(2)} fps</Meta>
              <Meta term="Container">{containerName(m.formatName)}</Meta>
            </>
          )}
        </dl>
        <DeleteVideo videoId={video.id} filename={video.filename} />
      </section>
      <section className="card" aria-labelledby="jobs-title">
        <h2 id="jobs-title">Extractions</h2>
        {jobs.length === 0 && <p>No extraction yet.</p>}
        <ul className="jobs">
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} />
          ))}
        </ul>
        {(video.status === "READY" || video.status === "PROCESSING") && <ExtractAgain videoId={video.id} />}
      </section>
      {shown && <FrameGallery job={shown} />}
    </>
  );
}

const NotFound = () => (
  <>
    <h1>Video not found</h1>
    <p>
      It may have been deleted. <Link href="/videos">Back to your videos</Link>
    </p>
  </>
);

const Meta = ({ term, children }: { readonly term: string; readonly children: ReactNode }) => (
  <div>
    <dt>{term}</dt>
    <dd>{children}</dd>
  </div>
);

function JobRow({ job }: { readonly job: WebJobFragment }) {
  const [cancelState, cancel] = useMutation(WebCancelJobDocument);
  const [retryState, retry] = useMutation(WebRetryJobDocument);
  const live = job.status === "QUEUED" || job.status === "RUNNING";
  const problem =
    errorMessage(cancelState.error) ??
    errorMessage(retryState.error) ??
    [...(cancelState.data?.cancelJob.userErrors ?? []), ...(retryState.data?.retryJob.userErrors ?? [])]
      .map((e) => e.message)
      .join(" ");
  return (
    <li className="job">
      <div className="job-head">
        <StatusBadge status={job.status} />
        <span>{describeOptions(job.options)}</span>
      </div>
      {live && <ProgressBar value={job.progress} label="Extraction progress" />}
      <div className="job-meta">
        {job.framesExtracted} frames · started {formatDate(job.createdAt)}
        {job.result && <> · archive {formatBytes(job.result.archiveSizeBytes)}</>}
      </div>
      {job.error && <p className="form-error">{job.error.message}</p>}
      <div className="actions">
        {job.result && (
          <a className="button" href={job.result.downloadUrl} download>
            Download ZIP
          </a>
        )}
        {live && (
          <button
            type="button"
            className="secondary"
            disabled={cancelState.fetching}
            onClick={() => void cancel({ input: { jobId: job.id } })}
          >
            Cancel extraction
          </button>
        )}
        {(job.status === "FAILED" || job.status === "CANCELLED") && (
          <button
            type="button"
            className="secondary"
            disabled={retryState.fetching}
            onClick={() => void retry({ input: { jobId: job.id } })}
          >
            Retry
          </button>
        )}
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </li>
  );
}

function ExtractAgain({ videoId }: { readonly videoId: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [sampling, setSampling] = useState<SamplingForm>(DEFAULT_SAMPLING);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [state, start] = useMutation(WebStartExtractionDocument);
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Extract again
      </button>
    );
  const submit = async () => {
    const { input, errors: local } = toExtractionInput(sampling);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    const r = await start({ input: { videoId, extraction: input } });
    const payload = r.data?.startExtraction;
    if (!payload) return setErrors({ form: errorMessage(r.error) ?? "The extraction could not start." });
    if (payload.userErrors.length > 0) return setErrors(errorsFromServer(payload.userErrors, sampling.choice));
    setOpen(false);
    setSampling(DEFAULT_SAMPLING);
  };
  return (
    <form
      className="extract-again"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${id}-title`}>Extract again with other options</h3>
      <SamplingFields value={sampling} onChange={setSampling} errors={errors} />
      <div className="actions">
        <button type="submit" disabled={state.fetching}>
          Start extraction
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </form>
  );
}

function DeleteVideo({ videoId, filename }: { readonly videoId: string; readonly filename: string }) {
  const [confirming, setConfirming] = useState(false);
  const [state, remove] = useMutation(WebDeleteVideoDocument);
  const [problem, setProblem] = useState<string | null>(null);
  const doDelete = async () => {
    const r = await remove({ input: { videoId } });
    const payload = r.data?.deleteVideo;
    if (!payload) return setProblem(errorMessage(r.error));
    if (payload.userErrors.length > 0) return setProblem(payload.userErrors.map((e) => e.message).join(" "));
    navigate("/videos", { replace: true });
  };
  return (
    <div className="danger">
      {!confirming ? (
        <button type="button" className="danger-button" onClick={() => setConfirming(true)}>
          Delete video
        </button>
      ) : (
        <div role="group" aria-labelledby="confirm-delete">
          <p id="confirm-delete">
            Delete <strong>{filename}</strong> and all its frames? This cannot be undone.
          </p>
          <div className="actions">
            <button type="button" className="danger-button" disabled={state.fetching} onClick={() => void doDelete()}>
              Yes, delete
            </button>
            <button type="button" className="secondary" autoFocus onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
