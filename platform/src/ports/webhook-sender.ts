/** One POST to a user's endpoint; never throws for anything the far side (or its address) does. */
export type WebhookSendResult =
  | { readonly kind: "response"; readonly status: number; readonly durationMs: number; readonly bodySnippet: string }
  /** Timeout, DNS failure, reset, TLS error: worth retrying. */
  | { readonly kind: "error"; readonly message: string; readonly durationMs: number }
  /** The URL or the address it resolved to is not allowed (loopback, private, metadata...). */
  | { readonly kind: "refused"; readonly message: string; readonly durationMs: number };

export interface WebhookSender {
  send(request: {
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly signal?: AbortSignal;
  }): Promise<WebhookSendResult>;
  close(): Promise<void>;
}
