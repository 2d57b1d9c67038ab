import {
  request as httpRequest,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { S3RequestPresigner } from "@aws-sdk/s3-request-presigner";
import type { S3Client } from "@aws-sdk/client-s3";
import { TEST_CREDENTIALS, TEST_REGION } from "./servers.js";

/**
 * s3rver checks the expiry of presigned (SigV4 query) URLs but not their signatures: its V4
 * verification is unimplemented. This proxy sits in front of it and does what S3 does: it
 * recomputes the signature of every presigned request from what actually arrived (method, path,
 * query, and the headers named in X-Amz-SignedHeaders, Content-Length included) and answers
 * 403 SignatureDoesNotMatch when it differs. Requests signed with an Authorization header (the
 * SDK's own calls) pass through unchanged, except AbortMultipartUpload, which s3rver lacks (below).
 */
/** Passes a request through to `upstream` as it came, and its answer back as it comes. */
export function forwardTo(upstream: URL, req: IncomingMessage, res: ServerResponse): void {
  const forward = httpRequest(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  forward.on("error", () => res.destroy());
  req.pipe(forward);
}

export async function startSigV4Proxy(
  target: string,
  s3: () => S3Client,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const presigner = new S3RequestPresigner({
    credentials: TEST_CREDENTIALS,
    region: TEST_REGION,
    sha256: s3().config.sha256,
  });

  const verify = async (req: IncomingMessage, url: URL): Promise<boolean> => {
    const provided = url.searchParams.get("X-Amz-Signature");
    const date = url.searchParams.get("X-Amz-Date") ?? "";
    const expires = Number(url.searchParams.get("X-Amz-Expires"));
    const signed = (url.searchParams.get("X-Amz-SignedHeaders") ?? "").split(";").filter(Boolean);
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
    if (!provided || !m || !Number.isFinite(expires)) return false;
    const signingDate = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (k !== "X-Amz-Signature") query[k] = v;
    const headers: Record<string, string> = {};
    for (const name of signed) {
      const value = req.headers[name];
      if (value === undefined) return false;
      headers[name] = Array.isArray(value) ? value.join(",") : value;
    }
    const again = await presigner.presign(
      {
        method: req.method ?? "GET",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: decodeURIComponent(url.pathname),
        query,
        headers,
      },
      { signingDate, expiresIn: expires, signableHeaders: new Set(signed) },
    );
    return again.query?.["X-Amz-Signature"] === provided;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    void (async () => {
      if (url.searchParams.has("X-Amz-Signature") && !(await verify(req, url))) {
        req.resume();
        res.writeHead(403, { "Content-Type": "application/xml", Connection: "close" });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code></Error>');
        return;
      }
      // s3rver has no AbortMultipartUpload (it answers 405): answer as S3 does. Its parts stay on
      // s3rver's disk, which the adapters never read again.
      if (req.method === "DELETE" && url.searchParams.has("uploadId")) {
        req.resume();
        res.writeHead(204).end();
        return;
      }
      forwardTo(upstream, req, res);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
