const LABELS: Record<string, string> = {
  AWAITING_UPLOAD: "Awaiting upload",
  PROCESSING: "Processing",
  READY: "Ready",
  REJECTED: "Rejected",
  QUEUED: "Queued",
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

export const statusLabel = (status: string): string => LABELS[status] ?? status;

export function StatusBadge({ status }: { readonly status: string }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{statusLabel(status)}</span>;
}
