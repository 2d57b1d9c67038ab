import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useQuery } from "urql";
import { formatTimestamp } from "../components/format.js";
import { WebJobFramesDocument, type WebJobFragment } from "../generated/graphql.js";
import { errorMessage } from "../graphql/error-message.js";

const PAGE_SIZE = 24;

export interface GalleryFrame {
  readonly index: number;
  readonly timestampSeconds: number;
  readonly width: number;
  readonly height: number;
  readonly url: string;
}

/** "Frame 3 at 0:01.033 (1.033 s)": the exact presentation time, to the millisecond. */
export const frameLabel = (f: Pick<GalleryFrame, "index" | "timestampSeconds">): string =>
  `Frame ${f.index} at ${formatTimestamp(f.timestampSeconds)} (${f.timestampSeconds.toFixed(3)} s)`;

/** The frames of a succeeded job, a page at a time, each image loaded when it scrolls into view. */
export function FrameGallery({ job }: { readonly job: WebJobFragment }) {
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }] = useQuery({
    query: WebJobFramesDocument,
    variables: { jobId: job.id, first: PAGE_SIZE, after },
  });
  const connection = data?.job?.result?.frames;
  const frames = (connection?.edges ?? []).map((e) => e.node);
  return (
    <section className="card" aria-labelledby="gallery-title">
      <h2 id="gallery-title">Frames</h2>
      <p className="hint">
        {job.result?.frameCount ?? frames.length} frames. Arrow keys move between them; Enter shows one larger.
      </p>
      {error && (
        <p className="form-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      <FrameGrid frames={frames} />
      {connection?.pageInfo.hasNextPage && (
        <button
          type="button"
          className="secondary"
          disabled={fetching}
          onClick={() => setAfter(connection.pageInfo.endCursor ?? null)}
        >
          Show more frames
        </button>
      )}
    </section>
  );
}

export function FrameGrid({ frames }: { readonly frames: readonly GalleryFrame[] }) {
  const id = useId();
  const [open, setOpen] = useState<number | null>(null);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const focus = (i: number) => buttons.current[Math.max(0, Math.min(frames.length - 1, i))]?.focus();
  const columns = () => {
    const first = buttons.current[0]?.getBoundingClientRect().top;
    return Math.max(1, buttons.current.filter((b) => b?.getBoundingClientRect().top === first).length);
  };
  const onKey = (e: KeyboardEvent, i: number) => {
    const moves: Record<string, () => number> = {
      ArrowRight: () => i + 1,
      ArrowLeft: () => i - 1,
      ArrowDown: () => i + columns(),
      ArrowUp: () => i - columns(),
      Home: () => 0,
      End: () => frames.length - 1,
    };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    focus(move());
  };
  return (
    <>
      <ul className="gallery" aria-label="Frames">
        {frames.map((f, i) => (
          <li key={f.index}>
            <button
              type="button"
              className="frame-button"
              ref={(el) => {
                buttons.current[i] = el;
              }}
              aria-describedby={`${id}-cap-${f.index}`}
              onClick={() => setOpen(i)}
              onKeyDown={(e) => onKey(e, i)}
            >
              <img src={f.url} alt={frameLabel(f)} loading="lazy" decoding="async" width={f.width} height={f.height} />
            </button>
            <span className="frame-caption" id={`${id}-cap-${f.index}`}>
              {formatTimestamp(f.timestampSeconds)}
            </span>
          </li>
        ))}
      </ul>
      {open !== null && frames[open] && (
        <FrameViewer
          frame={frames[open]}
          hasPrevious={open > 0}
          hasNext={open < frames.length - 1}
          onMove={(delta) => setOpen((o) => Math.max(0, Math.min(frames.length - 1, (o ?? 0) + delta)))}
          onClose={() => {
            // The dialog is already closed here, so the grid is no longer inert: focus lands now, before the
            // dialog leaves the DOM, instead of on <body> for a frame.
            focus(open);
            setOpen(null);
          }}
        />
      )}
    </>
  );
}

/** One frame, larger, in a modal dialog: ← and → step, Escape closes, focus returns to its thumbnail. */
function FrameViewer(props: {
  readonly frame: GalleryFrame;
  readonly hasPrevious: boolean;
  readonly hasNext: boolean;
  readonly onMove: (delta: number) => void;
  readonly onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { frame } = props;
  const onClose = () => {
    ref.current?.close?.();
    props.onClose();
  };
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    return () => dialog?.close?.();
  }, []);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "ArrowRight" && props.hasNext) props.onMove(1);
    else if (e.key === "ArrowLeft" && props.hasPrevious) props.onMove(-1);
    else return;
    e.preventDefault();
  };
  return (
    <dialog
      ref={ref}
      className="viewer"
      aria-label={frameLabel(frame)}
      onKeyDown={onKey}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <img src={frame.url} alt={frameLabel(frame)} width={frame.width} height={frame.height} />
      <div className="viewer-bar">
        <button type="button" className="secondary" disabled={!props.hasPrevious} onClick={() => props.onMove(-1)}>
          Previous
        </button>
        <span>{frameLabel(frame)}</span>
        <button type="button" className="secondary" disabled={!props.hasNext} onClick={() => props.onMove(1)}>
          Next
        </button>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}
