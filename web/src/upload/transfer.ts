/** One HTTP request sending bytes to a signed URL, with upload progress: XMLHttpRequest (fetch has none). */
export interface TransferRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly body: Blob;
  readonly onProgress: (sentBytes: number) => void;
  readonly signal: AbortSignal;
}

export type Transfer = (request: TransferRequest) => Promise<{ etag: string | null }>;

export class TransferError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "TransferError";
  }
  /** Worth another try: the network dropped, the server timed out or failed. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export class AbortedError extends Error {
  constructor() {
    super("cancelled");
    this.name = "AbortedError";
  }
}

/** The browser sets these itself and refuses them from scripts. */
const FORBIDDEN = new Set(["content-length", "host", "connection", "expect"]);

function messageOf(xhr: XMLHttpRequest): string {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string") return body.error.message;
  } catch {
    // not JSON: fall through
  }
  return `the storage answered ${xhr.status}${xhr.statusText ? ` ${xhr.statusText}` : ""}`;
}

export const xhrTransfer: Transfer = (req) =>
  new Promise((resolve, reject) => {
    if (req.signal.aborted) return reject(new AbortedError());
    const xhr = new XMLHttpRequest();
    xhr.open(req.method, req.url);
    for (const h of req.headers) if (!FORBIDDEN.has(h.name.toLowerCase())) xhr.setRequestHeader(h.name, h.value);
    xhr.upload.onprogress = (e) => req.onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve({ etag: xhr.getResponseHeader("etag") });
      else reject(new TransferError(xhr.status, messageOf(xhr)));
    };
    xhr.onerror = () => reject(new TransferError(0, "the connection to the storage was lost"));
    xhr.ontimeout = () => reject(new TransferError(0, "the storage did not answer in time"));
    xhr.onabort = () => reject(new AbortedError());
    req.signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(req.body);
  });
