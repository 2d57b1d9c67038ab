import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { JobUpdatedDocument, ViewerDocument } from "../src/generated/graphql.js";
import { createClient, GraphQLRequestError, HttpError, NetworkError } from "../src/sdk/index.js";
import { putFile } from "../src/sdk/transfer.js";

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(path.join(tmpdir(), "vproc-sdk-"))));
afterAll(() => rm(dir, { recursive: true, force: true }));

const listen = async (server: Server | WebSocketServer): Promise<number> => {
  if (server instanceof WebSocketServer) return (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
};
/** A port nothing listens on: bound, then released. */
const closedPort = async (): Promise<number> => {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
};

describe("request", () => {
  it("reads the token before every request and throws GraphQLRequestError with the server's codes", async () => {
    const seen: Array<string | null> = [];
    const fakeFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
      seen.push(new Headers(init?.headers).get("authorization"));
      const body = JSON.parse(init?.body as string) as { operationName: string };
      expect(body.operationName).toBe("Viewer");
      return Response.json({
        errors: [{ message: "Token expired", extensions: { code: "UNAUTHENTICATED", reason: "TOKEN_EXPIRED" } }],
        data: null,
      });
    }) as typeof fetch;
    let n = 0;
    const client = createClient({ url: "http://api.test", getToken: () => `t${++n}`, fetch: fakeFetch });
    const err = await client.request(ViewerDocument, {}).catch((e: unknown) => e);
    await client.request(ViewerDocument, {}).catch(() => undefined);
    expect(err).toBeInstanceOf(GraphQLRequestError);
    expect((err as GraphQLRequestError).code).toBe("UNAUTHENTICATED");
    expect(seen).toEqual(["Bearer t1", "Bearer t2"]);
  });

  it("throws NetworkError when the server is down, and on a non-GraphQL answer", async () => {
    const down = createClient({ url: `http://127.0.0.1:${await closedPort()}` });
    await expect(down.request(ViewerDocument, {})).rejects.toBeInstanceOf(NetworkError);
    await expect(down.accounts.login({ email: "a@b.c", password: "x" })).rejects.toBeInstanceOf(NetworkError);
    const html = createClient({
      url: "http://api.test",
      fetch: async () => new Response("<h1>502 Bad Gateway</h1>", { status: 502 }),
    });
    await expect(html.request(ViewerDocument, {})).rejects.toThrow(/HTTP 502 without a GraphQL response/);
  });

  it("turns accounts refusals into HttpError with the server's code", async () => {
    const client = createClient({
      url: "http://api.test",
      fetch: async () =>
        Response.json(
          { error: { code: "INVALID_CREDENTIALS", message: "The email or password is incorrect." } },
          { status: 401 },
        ),
    });
    const err = (await client.accounts.login({ email: "a@b.c", password: "x" }).catch((e: unknown) => e)) as HttpError;
    expect(err).toBeInstanceOf(HttpError);
    expect([err.status, err.code, err.message]).toEqual([
      401,
      "INVALID_CREDENTIALS",
      "The email or password is incorrect.",
    ]);
  });
});

describe("putFile", () => {
  it("streams the file with its exact length and reports byte progress up to the total", async () => {
    const file = path.join(dir, "blob.bin");
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 7, 7);
    await writeFile(file, bytes);
    let received = 0;
    let headers: IncomingMessage["headers"] = {};
    const server = createServer((req, res) => {
      headers = req.headers;
      req.on("data", (c: Buffer) => (received += c.length));
      req.on("end", () => res.writeHead(200).end());
    });
    const port = await listen(server);
    const progress: number[] = [];
    await putFile(
      { url: `http://127.0.0.1:${port}/up`, method: "PUT", headers: [{ name: "x-sig", value: "s" }] },
      file,
      bytes.length,
      {
        onProgress: (sent, total) => {
          expect(total).toBe(bytes.length);
          progress.push(sent);
        },
      },
    );
    server.close();
    expect(received).toBe(bytes.length);
    expect([headers["content-length"], headers["x-sig"]]).toEqual([String(bytes.length), "s"]);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it("rejects with the target's HttpError when it refuses early", async () => {
    const file = path.join(dir, "big.bin");
    await writeFile(file, Buffer.alloc(2 * 1024 * 1024));
    const server = createServer((_req, res) => {
      res
        .writeHead(413, { "content-type": "application/json", connection: "close" })
        .end(JSON.stringify({ error: { code: "PAYLOAD_TOO_LARGE", message: "Too big." } }));
    });
    const port = await listen(server);
    const err = (await putFile(
      { url: `http://127.0.0.1:${port}/up`, method: "PUT", headers: [] },
      file,
      2 * 1024 * 1024,
    ).catch((e: unknown) => e)) as HttpError;
    server.close();
    expect(err).toBeInstanceOf(HttpError);
    expect([err.status, err.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
  });
});

describe("subscribe", () => {
  it("sends the token in connectionParams and reads it again when it reconnects", async () => {
    // A hand-written graphql-transport-ws server: drops the first connection mid-subscription.
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((r) => wss.once("listening", r));
    const tokens: unknown[] = [];
    let connections = 0;
    wss.on("connection", (socket) => {
      const nth = ++connections;
      socket.on("message", (raw) => {
        const msg = JSON.parse((raw as Buffer).toString("utf8")) as {
          type: string;
          id?: string;
          payload?: { authorization?: string };
        };
        if (msg.type === "connection_init") {
          tokens.push(msg.payload?.authorization);
          socket.send(JSON.stringify({ type: "connection_ack" }));
        } else if (msg.type === "subscribe" && nth === 1) {
          socket.terminate(); // the network drops: the client sees 1006 and reconnects
        } else if (msg.type === "subscribe") {
          const job = {
            id: "j1",
            status: "SUCCEEDED",
            progress: 1,
            framesExtracted: 2,
            attempts: 1,
            error: null,
            result: null,
            createdAt: "",
            updatedAt: "",
            startedAt: null,
            finishedAt: null,
            video: null,
          };
          socket.send(JSON.stringify({ type: "next", id: msg.id, payload: { data: { jobUpdated: job } } }));
          socket.send(JSON.stringify({ type: "complete", id: msg.id }));
        }
      });
    });
    let n = 0;
    const client = createClient({ url: `http://127.0.0.1:${await listen(wss)}`, getToken: () => `token-${++n}` });
    const events = [];
    for await (const e of client.subscribe(JobUpdatedDocument, { jobId: "j1" })) events.push(e.jobUpdated.status);
    await client.close();
    wss.close();
    expect(events).toEqual(["SUCCEEDED"]);
    expect(tokens).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("fails with UNAUTHENTICATED when the server closes with 4403 and there is no other token", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((r) => wss.once("listening", r));
    wss.on("connection", (socket) => socket.on("message", () => socket.close(4403, "Forbidden: INVALID_TOKEN")));
    const client = createClient({ url: `http://127.0.0.1:${await listen(wss)}`, token: "bad" });
    const err = await client
      .subscribe(JobUpdatedDocument, { jobId: "x" })
      .next()
      .catch((e: unknown) => e);
    await client.close();
    wss.close();
    expect(err).toBeInstanceOf(GraphQLRequestError);
    expect((err as GraphQLRequestError).code).toBe("UNAUTHENTICATED");
  });
});
