import { useId, useState } from "react";
import { useQuery } from "urql";
import { ProgressBar } from "../components/progress-bar.js";
import { StatusBadge, statusLabel } from "../components/status-badge.js";
import { formatBytes, formatDate } from "../components/format.js";
import { WebVideosDocument, type VideoStatus } from "../generated/graphql.js";
import { errorMessage } from "../graphql/error-message.js";
import { Link, videoPath } from "../router.js";
import { UploadPanel } from "../upload/upload-panel.js";
import type { UploadManager } from "../upload/upload-manager.js";

const PAGE_SIZE = 20;
const STATUSES: readonly VideoStatus[] = ["AWAITING_UPLOAD", "PROCESSING", "READY", "REJECTED"];

export function VideosPage({ uploads }: { readonly uploads: UploadManager }) {
  return (
    <>
      <h1>Your videos</h1>
      <UploadPanel manager={uploads} />
      <VideoList />
    </>
  );
}

function VideoList() {
  const id = useId();
  const [status, setStatus] = useState<VideoStatus | "">("");
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }] = useQuery({
    query: WebVideosDocument,
    variables: { first: PAGE_SIZE, after, status: status || null },
  });
  const connection = data?.videos;
  const edges = connection?.edges ?? [];
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="list-head">
        <h2 id={`${id}-title`}>Videos</h2>
        <div className="field inline">
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            value={status}
            onChange={(e) => {
              setAfter(null);
              setStatus(e.target.value as VideoStatus | "");
            }}
          >
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      {!fetching && !error && edges.length === 0 && <p>No videos yet. Upload one above.</p>}
      <ul className="video-list">
        {edges.map(({ node: v }) => {
          const job = v.latestJob;
          return (
            <li key={v.id} className="video-row">
              <div className="video-row-head">
                <Link href={videoPath(v.id)} className="video-link">
                  {v.filename}
                </Link>
                <StatusBadge status={v.status} />
              </div>
              <div className="video-row-meta">
                {formatBytes(v.sizeBytes)} · uploaded {formatDate(v.createdAt)}
                {job && (
                  <>
                    {" "}
                    · extraction <StatusBadge status={job.status} />
                    {job.framesExtracted > 0 && <> · {job.framesExtracted} frames</>}
                  </>
                )}
              </div>
              {job && (job.status === "QUEUED" || job.status === "RUNNING") && (
                <ProgressBar value={job.progress} label={`Extraction of ${v.filename}`} />
              )}
            </li>
          );
        })}
      </ul>
      {connection?.pageInfo.hasNextPage && (
        <button
          type="button"
          className="secondary"
          disabled={fetching}
          onClick={() => setAfter(connection.pageInfo.endCursor ?? null)}
        >
          Load more
        </button>
      )}
    </section>
  );
}
