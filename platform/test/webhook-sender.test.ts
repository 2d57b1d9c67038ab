import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refusedAddress, refusedWebhookUrl } from "../src/webhooks/address-policy.js";
import { createSsrfSafeSender } from "../src/webhooks/ssrf-safe-sender.js";

/** A receiver on loopback that records every request it gets. */
async function receiver(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const hits: Array<{ url: string; headers: IncomingMessage["headers"] }> = [];
  const server: Server = createServer((req, res) => {
    hits.push({ url: req.url ?? "", headers: req.headers });
    handle(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    hits,
    port,
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const post = { headers: { "content-type": "application/json" }, body: "{}" };

describe("SSRF-safe webhook sender", () => {
  let target: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    target = await receiver((_req, res) => res.writeHead(204).end());
  });
  afterAll(() => target.close());

  it("delivers to a local receiver only with the development setting", async () => {
    const dev = createSsrfSafeSender({ allowLocalTargets: true });
    const prod = createSsrfSafeSender();
    try {
      expect(await dev.send({ url: target.url, ...post })).toMatchObject({ kind: "response", status: 204 });
      expect(target.hits).toHaveLength(1);
      const refused = await prod.send({ url: target.url, ...post });
      expect(refused).toMatchObject({ kind: "refused" });
      expect(target.hits).toHaveLength(1);
    } finally {
      await dev.close();
      await prod.close();
    }
  });

  it.each([
    ["loopback", "https://127.0.0.1:PORT/hook"],
    ["loopback, http", "http://127.0.0.1:PORT/hook"],
    ["IPv6 loopback", "https://[::1]:PORT/hook"],
    ["IPv4-mapped loopback", "https://[::ffff:127.0.0.1]:PORT/hook"],
    ["decimal loopback", "https://2130706433:PORT/hook"],
    ["the unspecified address", "https://0.0.0.0:PORT/hook"],
    ["localhost", "https://localhost:PORT/hook"],
    ["10/8", "https://10.1.2.3/hook"],
    ["192.168/16", "https://192.168.0.10/hook"],
    ["172.16/12", "https://172.20.0.1/hook"],
    ["the metadata address", "https://169.254.169.254/latest/meta-data/"],
    ["the metadata address over http", "http://169.254.169.254/latest/meta-data/"],
    ["IPv6 unique-local (EC2 IMDS)", "https://[fd00:ec2::254]/latest"],
    ["CGNAT", "https://100.64.0.1/"],
  ])("refuses %s without connecting", async (_what, raw) => {
    const sender = createSsrfSafeSender();
    try {
      const before = target.hits.length;
      const result = await sender.send({ url: raw.replace("PORT", String(target.port)), ...post });
      expect(result.kind).toBe("refused");
      expect(target.hits.length).toBe(before);
    } finally {
      await sender.close();
    }
  });

  it("refuses private and metadata addresses even with the development setting", async () => {
    const sender = createSsrfSafeSender({ allowLocalTargets: true });
    try {
      for (const url of ["http://10.0.0.1/x", "http://169.254.169.254/", "http://[fe80::1]/", "http://192.168.1.1/"])
        expect((await sender.send({ url, ...post })).kind).toBe("refused");
    } finally {
      await sender.close();
    }
  });

  it("checks a hostname's resolved address when it connects (a name resolving to 127.0.0.1 is refused)", async () => {
    const asked: string[] = [];
    const sender = createSsrfSafeSender({
      resolve: async (hostname) => {
        asked.push(hostname);
        return [{ address: "127.0.0.1", family: 4 }];
      },
    });
    try {
      const before = target.hits.length;
      const result = await sender.send({ url: `https://rebind.example.com:${target.port}/hook`, ...post });
      expect(result).toMatchObject({ kind: "refused" });
      expect(result.kind === "refused" && result.message).toMatch(/rebind\.example\.com resolves to 127\.0\.0\.1/);
      expect(asked).toEqual(["rebind.example.com"]);
      expect(target.hits.length).toBe(before);
    } finally {
      await sender.close();
    }
  });

  it("refuses a name when any of its addresses is private (no picking the public one to slip past)", async () => {
    const sender = createSsrfSafeSender({
      resolve: async () => [
        { address: "93.184.216.34", family: 4 },
        { address: "10.0.0.5", family: 4 },
      ],
    });
    try {
      expect((await sender.send({ url: "https://mixed.example.com/", ...post })).kind).toBe("refused");
    } finally {
      await sender.close();
    }
  });

  it("uses the system resolver: localhost reaches the local receiver in development", async () => {
    const sender = createSsrfSafeSender({ allowLocalTargets: true });
    try {
      const result = await sender.send({ url: `http://localhost:${target.port}/hook`, ...post });
      // localhost may resolve to ::1 first, where nothing listens: either way it was allowed to try.
      expect(result.kind).not.toBe("refused");
    } finally {
      await sender.close();
    }
  });

  it("never follows a redirect, to a private address or anywhere else", async () => {
    const inner = await receiver((_req, res) => res.writeHead(200).end("inner"));
    const redirects = await receiver((req, res) =>
      res
        .writeHead(req.url === "/meta" ? 302 : 307, {
          location: req.url === "/meta" ? "http://169.254.169.254/latest/meta-data/" : inner.url,
        })
        .end(),
    );
    const sender = createSsrfSafeSender({ allowLocalTargets: true });
    try {
      const toInner = await sender.send({ url: `http://127.0.0.1:${redirects.port}/inner`, ...post });
      expect(toInner).toMatchObject({ kind: "response", status: 307 });
      const toMeta = await sender.send({ url: `http://127.0.0.1:${redirects.port}/meta`, ...post });
      expect(toMeta).toMatchObject({ kind: "response", status: 302 });
      expect(inner.hits).toHaveLength(0);
    } finally {
      await sender.close();
      await inner.close();
      await redirects.close();
    }
  });

  it("gives up on a receiver that does not answer in time", async () => {
    const silent = await receiver(() => undefined);
    const sender = createSsrfSafeSender({ allowLocalTargets: true, timeoutMs: 300 });
    try {
      const started = Date.now();
      const result = await sender.send({ url: silent.url, ...post });
      expect(result).toMatchObject({ kind: "error" });
      expect(result.kind === "error" && result.message).toMatch(/timed out/);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await sender.close();
      await silent.close();
    }
  });

  it("reads only the start of a large answer", async () => {
    const chunk = Buffer.alloc(64 * 1024, "x");
    const flood = await receiver((_req, res) => {
      res.writeHead(200);
      // 64 MiB if anyone read it all.
      let left = 1024;
      const write = () => {
        while (left-- > 0) if (!res.write(chunk)) return void res.once("drain", write);
        res.end();
      };
      write();
    });
    const sender = createSsrfSafeSender({ allowLocalTargets: true, maxResponseBytes: 512 });
    try {
      const started = Date.now();
      const result = await sender.send({ url: flood.url, ...post });
      expect(result).toMatchObject({ kind: "response", status: 200 });
      expect(result.kind === "response" && result.bodySnippet.length).toBe(512);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await sender.close();
      await flood.close();
    }
  });

  it("reports a connection error as retryable, not as refused", async () => {
    const gone = await receiver(() => undefined);
    const url = gone.url;
    await gone.close();
    const sender = createSsrfSafeSender({ allowLocalTargets: true });
    try {
      expect(await sender.send({ url, ...post })).toMatchObject({ kind: "error" });
    } finally {
      await sender.close();
    }
  });
});

describe("webhook URL and address policy", () => {
  it("allows only https and global unicast by default", () => {
    expect(refusedWebhookUrl("https://hooks.example.com/x")).toBeNull();
    expect(refusedWebhookUrl("http://hooks.example.com/x")).toMatch(/https/);
    expect(refusedWebhookUrl("ftp://hooks.example.com/x")).toMatch(/https/);
    expect(refusedWebhookUrl("https://user:pw@hooks.example.com/x")).toMatch(/user name/);
    expect(refusedWebhookUrl("not a url")).toMatch(/absolute/);
    expect(refusedWebhookUrl("https://10.0.0.1/")).toMatch(/private/);
    expect(refusedWebhookUrl("http://localhost:3000/", { allowLocalTargets: true })).toBeNull();
    expect(refusedAddress("8.8.8.8")).toBeNull();
    expect(refusedAddress("2606:4700::1111")).toBeNull();
    expect(refusedAddress("::ffff:10.0.0.1")).toMatch(/private/);
    expect(refusedAddress("169.254.169.254", { allowLocalTargets: true })).toMatch(/linkLocal/);
  });
});
