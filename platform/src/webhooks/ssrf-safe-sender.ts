import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import { Agent, buildConnector, request } from "undici";
import type { WebhookSender, WebhookSendResult } from "../ports/webhook-sender.js";
import { refusedAddress, refusedWebhookUrl, type WebhookTargetPolicy } from "./address-policy.js";

export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

export interface SsrfSafeSenderOptions extends WebhookTargetPolicy {
  /** Whole attempt: connect, send, headers and the read of the body's start. @default 15 s */
  readonly timeoutMs?: number;
  /** Bytes of the answer read (the rest is dropped unread). @default 1024 */
  readonly maxResponseBytes?: number;
  /** Name resolution (tests point names at chosen addresses). @default the system resolver, every address */
  readonly resolve?: HostResolver;
}

class RefusedTarget extends Error {
  override readonly name = "RefusedTarget";
}

const systemResolve: HostResolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/**
 * POSTs webhooks without letting a user's URL reach inside our network. The address is checked
 * where the socket is opened: an IP literal before connecting, a name on every address it resolves
 * to at that moment (a name that changes its answer between save and send, DNS rebinding, is
 * judged on the answer it is connected with). Redirects are answers, never followed.
 */
export function createSsrfSafeSender(options: SsrfSafeSenderOptions = {}): WebhookSender {
  const policy: WebhookTargetPolicy = { allowLocalTargets: options.allowLocalTargets === true };
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxResponseBytes = options.maxResponseBytes ?? 1024;
  const resolve = options.resolve ?? systemResolve;

  // net/tls call this instead of dns.lookup; every address of the name must be allowed.
  const checkingLookup = (
    hostname: string,
    lookupOptions: { all?: boolean; family?: number | string },
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    resolve(hostname).then(
      (addresses) => {
        const wanted = addresses.filter(
          (a) =>
            lookupOptions.family === undefined ||
            lookupOptions.family === 0 ||
            a.family === Number(lookupOptions.family),
        );
        if (wanted.length === 0)
          return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
        for (const a of wanted) {
          const refused = refusedAddress(a.address, policy);
          if (refused !== null) return callback(new RefusedTarget(`${hostname} resolves to ${refused}`), []);
        }
        if (lookupOptions.all === true) callback(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };

  const connect = buildConnector({ timeout: timeoutMs, lookup: checkingLookup });
  const agent = new Agent({
    connect(connectOptions, callback) {
      const host = connectOptions.hostname.replace(/^\[|\]$/g, "");
      if (isIP(host) !== 0) {
        const refused = refusedAddress(host, policy);
        if (refused !== null) return callback(new RefusedTarget(`refused to connect: ${refused}`), null);
      }
      connect(connectOptions, callback);
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connections: 16,
  });

  return {
    async send({ url, headers, body, signal }): Promise<WebhookSendResult> {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const refusedUrl = refusedWebhookUrl(url, policy);
      if (refusedUrl !== null) return { kind: "refused", message: `URL ${refusedUrl}`, durationMs: 0 };
      const timeout = AbortSignal.timeout(timeoutMs);
      const abort = signal ? AbortSignal.any([signal, timeout]) : timeout;
      try {
        const res = await request(url, {
          method: "POST",
          headers: { ...headers, "user-agent": "video-processor-webhooks/1" },
          body,
          dispatcher: agent,
          signal: abort,
        });
        const bodySnippet = await readAtMost(res.body, maxResponseBytes);
        return { kind: "response", status: res.statusCode, durationMs: elapsed(), bodySnippet };
      } catch (err) {
        const durationMs = elapsed();
        const cause = rootCause(err);
        if (cause instanceof RefusedTarget) return { kind: "refused", message: cause.message, durationMs };
        if (timeout.aborted) return { kind: "error", message: `timed out after ${timeoutMs} ms`, durationMs };
        return { kind: "error", message: describe(cause), durationMs };
      }
    },
    close: () => agent.close(),
  };
}

/** Reads the first `limit` bytes and drops the connection's remainder unread. */
async function readAtMost(body: AsyncIterable<Buffer> & { destroy(): void }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch {
    // A body cut short still leaves the status, which is all that decides the outcome.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}

function rootCause(err: unknown): unknown {
  let e = err;
  for (let i = 0; i < 5 && e instanceof Error && e.cause !== undefined && !(e instanceof RefusedTarget); i++)
    e = e.cause;
  return e;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
