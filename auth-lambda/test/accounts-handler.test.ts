import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { cachedSessionRevocations, createJwksTokenVerifier, SqliteSessionRevocations } from "@vp/platform";
import { LocalIdentityProvider, loadOrCreateSigningKeys } from "@vp/platform";
import type { IdentityProvider } from "@vp/platform";
import type { Mail, Mailer } from "@vp/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  TokenBucketRateLimiter,
  createAccountsHandler,
  toNodeHandler,
  type APIGatewayProxyEventV2,
  type APIGatewayProxyStructuredResultV2,
} from "../src/index.js";

class Inbox implements Mailer {
  readonly mails: Mail[] = [];
  async send(mail: Mail) {
    this.mails.push(mail);
    return { messageId: String(this.mails.length) };
  }
}

let ipSeq = 0;
/** A hand-built API Gateway v2 event; each call gets its own client IP unless one is given. */
function event(
  method: string,
  path: string,
  body?: unknown,
  over: { ip?: string; base64?: boolean; raw?: string; bearer?: string } = {},
): APIGatewayProxyEventV2 {
  const text = over.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: {
      "content-type": "application/json",
      ...(over.bearer !== undefined ? { authorization: `Bearer ${over.bearer}` } : {}),
    },
    requestContext: {
      requestId: `req-${++ipSeq}`,
      http: {
        method,
        path,
        protocol: "HTTP/1.1",
        sourceIp: over.ip ?? `198.51.100.${ipSeq % 250}`,
        userAgent: "test",
      },
    },
    ...(text === undefined ? {} : { body: over.base64 ? Buffer.from(text).toString("base64") : text }),
    isBase64Encoded: over.base64 ?? false,
  };
}
const parse = (r: APIGatewayProxyStructuredResultV2) => JSON.parse(r.body ?? "null") as Record<string, any>;

describe("accounts handler", () => {
  let dir: string;
  let db: Database.Database;
  let identity: LocalIdentityProvider;
  let confirmingIdentity: LocalIdentityProvider;
  const inbox = new Inbox();
  let keys: Awaited<ReturnType<typeof loadOrCreateSigningKeys>>;
  let handler: ReturnType<typeof createAccountsHandler>;
  let revocations: ReturnType<typeof cachedSessionRevocations>;
  /** The API's verifier, on the same revocation store as the handler's provider. */
  let verifier: ReturnType<typeof createJwksTokenVerifier>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-auth-lambda-"));
    db = new Database(join(dir, "vp.sqlite"));
    keys = await loadOrCreateSigningKeys(dir);
    revocations = cachedSessionRevocations(new SqliteSessionRevocations({ db }));
    verifier = createJwksTokenVerifier({ issuer: "http://vp.test", jwks: keys.jwks(), revocations });
    const common = {
      db,
      keys,
      issuer: "http://vp.test",
      accessTokenTtlSeconds: 900,
      mailer: inbox,
      scrypt: { N: 2 ** 12, r: 8, p: 1 },
      revocations,
    };
    identity = new LocalIdentityProvider({
      ...common,
      requireEmailConfirmation: false,
    });
    confirmingIdentity = new LocalIdentityProvider({
      ...common,
      requireEmailConfirmation: true,
    });
    handler = createAccountsHandler({
      identity,
      rateLimiter: TokenBucketRateLimiter.perMinute(1000),
    });
  });
  afterAll(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("signs up (202), logs in, and refreshes with tokens that verify", async () => {
    const su = await handler(
      event("POST", "/api/v1/accounts/signup", {
        email: "Ann@Example.com",
        password: "correct horse 42",
      }),
    );
    expect(su.statusCode).toBe(202);
    expect(su.headers?.["cache-control"]).toBe("no-store");
    expect(parse(su)).toEqual({ status: "pending", confirmationRequired: false, message: expect.any(String) });
    const userId = (await identity.signIn({ email: "ann@example.com", password: "correct horse 42" })).accessToken;

    const login = await handler(
      event("POST", "/api/v1/accounts/login", {
        email: "ann@example.com",
        password: "correct horse 42",
      }),
    );
    expect(login.statusCode).toBe(200);
    const tokens = parse(login);
    expect(tokens).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      tokenType: "Bearer",
    });
    expect((await verifier.verify(tokens.accessToken)).userId).toBe((await verifier.verify(userId)).userId);

    const refreshed = await handler(
      event("POST", "/api/v1/accounts/refresh/", {
        refreshToken: tokens.refreshToken,
      }),
    );
    expect(refreshed.statusCode).toBe(200);
    expect(parse(refreshed).tokenType).toBe("Bearer");
    const reused = await handler(
      event("POST", "/api/v1/accounts/refresh", {
        refreshToken: tokens.refreshToken,
      }),
    );
    expect([reused.statusCode, parse(reused).error.code]).toEqual([401, "INVALID_TOKEN"]);
  });

  it("maps domain errors to statuses with {error:{code,message}}", async () => {
    const cases: [APIGatewayProxyEventV2, number, string][] = [
      [
        event("POST", "/api/v1/accounts/signup", {
          email: "nope",
          password: "correct horse 42",
        }),
        400,
        "INVALID_EMAIL",
      ],
      [
        event("POST", "/api/v1/accounts/signup", {
          email: "weak@example.com",
          password: "short",
        }),
        400,
        "WEAK_PASSWORD",
      ],
      [
        event("POST", "/api/v1/accounts/signup", {
          email: "weak2@example.com",
          password: "password1",
        }),
        400,
        "WEAK_PASSWORD",
      ],
      [event("POST", "/api/v1/accounts/logout", {}), 400, "VALIDATION"],
      [event("POST", "/api/v1/accounts/logout"), 400, "VALIDATION"],
      [event("POST", "/api/v1/accounts/logout", { refreshToken: 42 }), 400, "VALIDATION"],
      [
        event("POST", "/api/v1/accounts/login", {
          email: "ann@example.com",
          password: "wrong horse 42",
        }),
        401,
        "INVALID_CREDENTIALS",
      ],
      [
        event("POST", "/api/v1/accounts/refresh", {
          refreshToken: "x".repeat(43),
        }),
        401,
        "INVALID_TOKEN",
      ],
      [
        event("POST", "/api/v1/accounts/confirm", {
          email: "ann@example.com",
          code: "12ab56",
        }),
        400,
        "VALIDATION",
      ],
      [event("POST", "/api/v1/accounts/login", { email: "ann@example.com" }), 400, "VALIDATION"],
      [event("POST", "/api/v1/accounts/login", [1, 2]), 400, "VALIDATION"],
      [
        event("POST", "/api/v1/accounts/login", undefined, {
          raw: "{not json",
        }),
        400,
        "VALIDATION",
      ],
      [event("POST", "/api/v1/accounts/login"), 400, "VALIDATION"],
      [
        event("POST", "/api/v1/accounts/login", undefined, {
          raw: JSON.stringify({ email: "a@b.co", password: "x".repeat(9000) }),
        }),
        413,
        "PAYLOAD_TOO_LARGE",
      ],
      [event("POST", "/api/v1/accounts/nope", {}), 404, "NOT_FOUND"],
      [event("POST", "/api/v1/elsewhere", {}), 404, "NOT_FOUND"],
      [event("POST", "/api/v1/accounts/__proto__", {}), 404, "NOT_FOUND"],
      [event("GET", "/api/v1/accounts/login"), 405, "METHOD_NOT_ALLOWED"],
    ];
    for (const [e, status, code] of cases) {
      const r = await handler(e);
      expect({
        path: e.rawPath,
        status: r.statusCode,
        code: parse(r).error?.code,
      }).toEqual({ path: e.rawPath, status, code });
      expect(typeof parse(r).error.message).toBe("string");
    }
    const missing = parse(await handler(event("POST", "/api/v1/accounts/login", { email: "ann@example.com" })));
    expect(missing.error.message).toBe("password is required");
    expect((await handler(event("GET", "/api/v1/accounts/login"))).headers?.allow).toBe("POST");
  });

  it("decodes base64 bodies, and measures the limit on the decoded bytes", async () => {
    const ok = await handler(
      event(
        "POST",
        "/api/v1/accounts/signup",
        { email: "b64@example.com", password: "correct horse 42" },
        { base64: true },
      ),
    );
    expect(ok.statusCode).toBe(202);
    const big = await handler(
      event("POST", "/api/v1/accounts/login", undefined, {
        base64: true,
        raw: "x".repeat(9000),
      }),
    );
    expect(big.statusCode).toBe(413);
  });

  it("runs the confirmation flow: 403 before, 200 after the mailed code", async () => {
    const h = createAccountsHandler({
      identity: confirmingIdentity,
      rateLimiter: TokenBucketRateLimiter.perMinute(1000),
    });
    const creds = { email: "conf@example.com", password: "correct horse 42" };
    const su = await h(event("POST", "/api/v1/accounts/signup", creds));
    expect([su.statusCode, parse(su).confirmationRequired]).toEqual([202, true]);
    const early = await h(event("POST", "/api/v1/accounts/login", creds));
    expect([early.statusCode, parse(early).error.code]).toEqual([403, "NOT_CONFIRMED"]);
    const code = /^\s+(\d{6})$/m.exec(inbox.mails.at(-1)?.text ?? "")?.[1];
    const wrong = await h(
      event("POST", "/api/v1/accounts/confirm", {
        email: creds.email,
        code: code === "000000" ? "000001" : "000000",
      }),
    );
    expect([wrong.statusCode, parse(wrong).error.code]).toEqual([400, "CODE_MISMATCH"]);
    expect(
      (
        await h(
          event("POST", "/api/v1/accounts/confirm", {
            email: creds.email,
            code,
          }),
        )
      ).statusCode,
    ).toBe(200);
    expect((await h(event("POST", "/api/v1/accounts/login", creds))).statusCode).toBe(200);
  });

  describe("logout", () => {
    const logIn = async (email: string) => {
      await handler(event("POST", "/api/v1/accounts/signup", { email, password: "correct horse 42" }));
      const login = await handler(event("POST", "/api/v1/accounts/login", { email, password: "correct horse 42" }));
      return parse(login) as { accessToken: string; refreshToken: string };
    };

    it("ends the session with both tokens: refresh refused, access token refused by the verifier at once", async () => {
      const t = await logIn("out1@example.com");
      const other = await logIn("out1@example.com"); // another device
      await verifier.verify(t.accessToken);
      const out = await handler(
        event("POST", "/api/v1/accounts/logout", { refreshToken: t.refreshToken }, { bearer: t.accessToken }),
      );
      expect([out.statusCode, parse(out)]).toEqual([200, { signedOut: true }]);
      expect(out.headers?.["cache-control"]).toBe("no-store");
      await expect(verifier.verify(t.accessToken)).rejects.toMatchObject({ code: "INVALID_TOKEN" });
      const refreshed = await handler(event("POST", "/api/v1/accounts/refresh", { refreshToken: t.refreshToken }));
      expect([refreshed.statusCode, parse(refreshed).error.code]).toEqual([401, "INVALID_TOKEN"]);
      // The other device's session is untouched.
      await expect(verifier.verify(other.accessToken)).resolves.toMatchObject({ email: "out1@example.com" });
      expect(
        (await handler(event("POST", "/api/v1/accounts/refresh", { refreshToken: other.refreshToken }))).statusCode,
      ).toBe(200);
    });

    it("ends the session from the bearer token alone (empty body), and from the refresh token alone", async () => {
      const a = await logIn("out2@example.com");
      const byBearer = await handler(event("POST", "/api/v1/accounts/logout", undefined, { bearer: a.accessToken }));
      expect(byBearer.statusCode).toBe(200);
      await expect(verifier.verify(a.accessToken)).rejects.toMatchObject({ code: "INVALID_TOKEN" });
      expect(
        (await handler(event("POST", "/api/v1/accounts/refresh", { refreshToken: a.refreshToken }))).statusCode,
      ).toBe(401);

      const b = await logIn("out3@example.com");
      const byRefresh = await handler(event("POST", "/api/v1/accounts/logout", { refreshToken: b.refreshToken }));
      expect(byRefresh.statusCode).toBe(200);
      await expect(verifier.verify(b.accessToken)).rejects.toMatchObject({ code: "INVALID_TOKEN" });
    });

    it("is idempotent and says nothing about unknown tokens", async () => {
      const t = await logIn("out4@example.com");
      const out = () =>
        handler(event("POST", "/api/v1/accounts/logout", { refreshToken: t.refreshToken }, { bearer: t.accessToken }));
      expect((await out()).statusCode).toBe(200);
      expect((await out()).statusCode).toBe(200);
      const unknown = await handler(
        event("POST", "/api/v1/accounts/logout", { refreshToken: "z".repeat(43) }, { bearer: "not.a.token" }),
      );
      expect([unknown.statusCode, parse(unknown)]).toEqual([200, { signedOut: true }]);
    });
  });

  describe("who has an account stays unsaid", () => {
    const timed = async (e: APIGatewayProxyEventV2, h = handler) => {
      const started = performance.now();
      const r = await h(e);
      return { status: r.statusCode, body: parse(r), ms: performance.now() - started };
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

    it("answers sign-up of a taken address like a new one (status, body, time) and mails the owner", async () => {
      await handler(
        event("POST", "/api/v1/accounts/signup", { email: "taken@example.com", password: "correct horse 42" }),
      );
      const fresh: number[] = [];
      const taken: number[] = [];
      for (let i = 0; i < 7; i++) {
        const n = await timed(
          event("POST", "/api/v1/accounts/signup", { email: `fresh${i}@example.com`, password: "other pass 99" }),
        );
        const t = await timed(
          event("POST", "/api/v1/accounts/signup", { email: "taken@example.com", password: "other pass 99" }),
        );
        expect(t.status).toBe(n.status);
        expect(t.body).toEqual(n.body);
        fresh.push(n.ms);
        taken.push(t.ms);
      }
      expect(fresh.length).toBe(7);
      const [f, t] = [median(fresh), median(taken)];
      console.log(`signup: new ${f.toFixed(1)} ms, taken ${t.toFixed(1)} ms (test scrypt)`);
      // Both paths hash once; the taken one must not be the fast one it used to be (409 in ~2 ms).
      expect(t).toBeGreaterThan(f * 0.5);
      await new Promise((r) => setTimeout(r, 50)); // the mail goes in the background without confirmation
      expect(inbox.mails.filter((m) => m.to === "taken@example.com").map((m) => m.subject)).toContain(
        "You already have a video-processor account",
      );
      // The account is unchanged.
      expect(
        (
          await handler(
            event("POST", "/api/v1/accounts/login", { email: "taken@example.com", password: "correct horse 42" }),
          )
        ).statusCode,
      ).toBe(200);
    });

    it("answers confirm alike for an unknown address, a wrong code and a confirmed account", async () => {
      const h = createAccountsHandler({
        identity: confirmingIdentity,
        rateLimiter: TokenBucketRateLimiter.perMinute(1000),
      });
      const creds = { email: "pending@example.com", password: "correct horse 42" };
      await h(event("POST", "/api/v1/accounts/signup", creds));
      const code = /^\s+(\d{6})$/m.exec(inbox.mails.filter((m) => m.to === creds.email).at(-1)?.text ?? "")?.[1];
      const wrong = code === "000000" ? "000001" : "000000";
      const unknownMs: number[] = [];
      const wrongMs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const u = await timed(
          event("POST", "/api/v1/accounts/confirm", { email: `nobody${i}@example.com`, code: wrong }),
          h,
        );
        const w = await timed(event("POST", "/api/v1/accounts/confirm", { email: creds.email, code: wrong }), h);
        expect([u.status, u.body]).toEqual([w.status, w.body]);
        expect(u.status).toBe(400);
        unknownMs.push(u.ms);
        wrongMs.push(w.ms);
      }
      console.log(`confirm: unknown ${median(unknownMs).toFixed(2)} ms, wrong code ${median(wrongMs).toFixed(2)} ms`);
      // After five wrong codes the account is locked: still the same answer.
      const locked = await timed(event("POST", "/api/v1/accounts/confirm", { email: creds.email, code: code! }), h);
      const ghost = await timed(
        event("POST", "/api/v1/accounts/confirm", { email: "ghost@example.com", code: code! }),
        h,
      );
      expect([locked.status, locked.body]).toEqual([ghost.status, ghost.body]);
      // A confirmed account answers a repeated confirm like an unknown one too.
      const other = { email: "done@example.com", password: "correct horse 42" };
      await h(event("POST", "/api/v1/accounts/signup", other));
      const otherCode = /^\s+(\d{6})$/m.exec(inbox.mails.filter((m) => m.to === other.email).at(-1)?.text ?? "")?.[1];
      expect(
        (await h(event("POST", "/api/v1/accounts/confirm", { email: other.email, code: otherCode }))).statusCode,
      ).toBe(200);
      const again = await timed(event("POST", "/api/v1/accounts/confirm", { email: other.email, code: otherCode }), h);
      expect([again.status, again.body]).toEqual([ghost.status, ghost.body]);
    });
  });

  it("rate-limits per client and per route with 429 and Retry-After", async () => {
    let now = 0;
    const h = createAccountsHandler({
      identity,
      rateLimiter: TokenBucketRateLimiter.perMinute(2, () => now),
    });
    const login = (ip: string) =>
      h(event("POST", "/api/v1/accounts/login", { email: "x@example.com", password: "wrong pass 1" }, { ip }));
    expect((await login("203.0.113.1")).statusCode).toBe(401);
    expect((await login("203.0.113.1")).statusCode).toBe(401);
    const limited = await login("203.0.113.1");
    expect([limited.statusCode, parse(limited).error.code, limited.headers?.["retry-after"]]).toEqual([
      429,
      "RATE_LIMITED",
      "30",
    ]);
    expect((await login("203.0.113.2")).statusCode).toBe(401); // another client
    const other = await h(
      event("POST", "/api/v1/accounts/refresh", { refreshToken: "y".repeat(43) }, { ip: "203.0.113.1" }),
    );
    expect(other.statusCode).toBe(401); // another route
    now += 30_000;
    expect((await login("203.0.113.1")).statusCode).toBe(401);
  });

  it("answers 500 INTERNAL without details for unexpected failures, and logs them", async () => {
    const logged: object[] = [];
    const broken: IdentityProvider = {
      requiresEmailConfirmation: false,
      signOut: () => Promise.reject(new Error("x")),
      signUp: () => Promise.reject(new Error("disk on fire at /secret/path")),
      confirm: () => Promise.reject(new Error("x")),
      signIn: () => Promise.reject(new Error("x")),
      refresh: () => Promise.reject(new Error("x")),
      getUser: () => Promise.resolve(null),
    };
    const logger = {
      info: () => undefined,
      warn: () => undefined,
      error: (o: object) => void logged.push(o),
    };
    const h = createAccountsHandler({
      identity: broken,
      rateLimiter: TokenBucketRateLimiter.perMinute(10),
      logger,
    });
    const r = await h(
      event("POST", "/api/v1/accounts/signup", {
        email: "a@example.com",
        password: "correct horse 42",
      }),
    );
    expect(r.statusCode).toBe(500);
    expect(r.body).not.toContain("secret");
    expect(logged).toHaveLength(1);
  });

  describe("mounted on a real HTTP server", () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      const mounted = toNodeHandler(handler, { maxBodyBytes: 8192 });
      server = createServer((req, res) => void mounted(req, res));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("serves sign-up and login through toApiGatewayEvent / sendApiGatewayResult", async () => {
      const body = JSON.stringify({
        email: "http@example.com",
        password: "correct horse 42",
      });
      const su = await fetch(`${base}/api/v1/accounts/signup?x=1`, {
        method: "POST",
        body,
        headers: { "content-type": "text/plain" },
      });
      expect(su.status).toBe(202);
      expect(su.headers.get("content-type")).toContain("application/json");
      expect(await su.json()).toMatchObject({ status: "pending", confirmationRequired: false });
      const login = await fetch(`${base}/api/v1/accounts/login`, {
        method: "POST",
        body,
      });
      expect(login.status).toBe(200);
      expect(await login.json()).toMatchObject({ tokenType: "Bearer" });
      const tooBig = await fetch(`${base}/api/v1/accounts/login`, {
        method: "POST",
        body: "x".repeat(100_000),
      });
      expect(tooBig.status).toBe(413);
      const get = await fetch(`${base}/api/v1/accounts/login`);
      expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
    });
  });
});
