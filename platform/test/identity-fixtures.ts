import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { JSONWebKeySet } from "jose";
import type { Mail, Mailer } from "../src/ports/mailer.js";

/** Mailer fake for identity tests (the real outbox mailer lives elsewhere). */
export class MemoryMailer implements Mailer {
  readonly sent: Mail[] = [];
  failNext = false;
  async send(mail: Mail): Promise<{ messageId: string }> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error("SMTP down");
    }
    this.sent.push(mail);
    return { messageId: `<${this.sent.length}@memory>` };
  }
  lastCodeFor(email: string): string {
    const mail = this.sent.filter((m) => m.to === email.toLowerCase()).at(-1);
    const code = mail && /^\s+(\d{6})$/m.exec(mail.text)?.[1];
    if (!code) throw new Error(`no confirmation code mailed to ${email}`);
    return code;
  }
}

/** Serves `/.well-known/jwks.json` on 127.0.0.1:0, as our API server will. Counts fetches. */
export async function startJwksServer(
  jwks: () => JSONWebKeySet,
): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/.well-known/jwks.json") {
      hits++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks()));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
