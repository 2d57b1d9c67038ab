import { useId, useRef, useState, useSyncExternalStore, type DragEvent } from "react";
import { ProgressBar } from "../components/progress-bar.js";
import { formatBytes, formatSpeed } from "../components/format.js";
import { SamplingFields } from "../sampling/sampling-form.js";
import {
  DEFAULT_SAMPLING,
  errorsFromServer,
  toExtractionInput,
  type FieldErrors,
  type SamplingForm,
} from "../sampling/sampling-options.js";
import type { UploadItem, UploadManager } from "./upload-manager.js";

const PHASE_LABEL: Record<UploadItem["phase"], string> = {
  preparing: "Preparing",
  uploading: "Uploading",
  completing: "Finishing",
  done: "Uploaded",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** Pick or drop several videos, choose the sampling, upload them all at once. */
export function UploadPanel({ manager }: { readonly manager: UploadManager }) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [sampling, setSampling] = useState<SamplingForm>(DEFAULT_SAMPLING);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [dragging, setDragging] = useState(false);
  const items = useSyncExternalStore(manager.subscribe, manager.snapshot, manager.snapshot);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const dropped = Array.from(e.dataTransfer.files);
    if (dropped.length > 0) setFiles(dropped);
  };

  const start = () => {
    const { input, errors: local } = toExtractionInput(sampling);
    if (files.length === 0) {
      setErrors({ ...local, form: "Choose one or more video files first." });
      return;
    }
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    const chosen = files;
    setFiles([]);
    if (inputRef.current) inputRef.current.value = "";
    void manager.add(chosen, input).then(() => {
      // The options are the same for every file: the server's objections to them, once, by the fields.
      const refused = manager.snapshot().filter((i) => i.phase === "failed" && i.videoId === null);
      const problems = refused.flatMap((i) => i.problems).filter((p) => p.field);
      if (problems.length > 0) setErrors(errorsFromServer(problems, sampling.choice));
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Upload videos</h2>
      <div
        className={`dropzone${dragging ? " dragging" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={`${id}-files`}>Video files</label>
        <input
          ref={inputRef}
          id={`${id}-files`}
          type="file"
          multiple
          accept="video/*"
          aria-describedby={`${id}-drop-hint`}
          onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
        />
        <span className="hint" id={`${id}-drop-hint`}>
          Or drop them here. Several at once is fine.
        </span>
        {files.length > 0 && (
          <ul className="chosen" aria-label="Chosen files">
            {files.map((f) => (
              <li key={`${f.name}-${f.size}-${f.lastModified}`}>
                {f.name} ({formatBytes(f.size)})
              </li>
            ))}
          </ul>
        )}
      </div>
      <SamplingFields value={sampling} onChange={setSampling} errors={errors} />
      <button type="button" onClick={start}>
        Upload
      </button>
      {items.length > 0 && <UploadList items={items} manager={manager} />}
    </section>
  );
}

function UploadList({ items, manager }: { readonly items: readonly UploadItem[]; readonly manager: UploadManager }) {
  const settled = items.some((i) => ["done", "failed", "cancelled"].includes(i.phase));
  return (
    <div className="uploads">
      <h3>Uploads</h3>
      <ul>
        {items.map((item) => {
          const live = item.phase === "preparing" || item.phase === "uploading" || item.phase === "completing";
          return (
            <li key={item.key} className="upload-item">
              <div className="upload-head">
                <span className="upload-name">{item.name}</span>
                <span>
                  {PHASE_LABEL[item.phase]}
                  {item.multipart ? " (in parts)" : ""}
                </span>
              </div>
              <ProgressBar
                value={item.sizeBytes ? item.sentBytes / item.sizeBytes : 1}
                label={`Upload of ${item.name}`}
              />
              <div className="upload-meta">
                {formatBytes(item.sentBytes)} of {formatBytes(item.sizeBytes)}
                {item.phase === "uploading" && <> · {formatSpeed(item.bytesPerSecond)}</>}
                {live && (
                  <button type="button" className="secondary" onClick={() => manager.cancel(item.key)}>
                    Cancel <span className="visually-hidden">upload of {item.name}</span>
                  </button>
                )}
              </div>
              {item.problems.length > 0 && (
                <p className="form-error" role="alert">
                  {item.problems.map((p) => p.message).join(" ")}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      {settled && (
        <button type="button" className="secondary" onClick={() => manager.clearFinished()}>
          Clear finished
        </button>
      )}
    </div>
  );
}
