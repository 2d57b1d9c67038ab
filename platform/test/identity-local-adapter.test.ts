import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { isDomainError } from "@vp/domain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cachedSessionRevocations,
  createJwksTokenVerifier,
  SESSION_REVOCATION_CACHE_SECONDS,
} from "../src/auth/index.js";
import {
  DEFAULT_SCRYPT_PARAMS,
  LocalIdentityProvider,
  hashPassword,
  loadOrCreateSigningKeys,
  migrate,
  SqliteSessionRevocations,
  verifyPassword,
  type SigningKeys,
} from "../src/local/identity/index.js";
import { MemoryMailer } from "./identity-fixtures.js";

const FAST = { N: 2 ** 12, r: 8, p: 1 };
const PASSWORD = "correct horse 42";
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (isDomainError(e) ? e.code : e),
  );

describe("local accounts adapter", () => {
  let dir: string;
  let db: Database.Database;
  let keys: SigningKeys;
  let mailer: MemoryMailer;
  let now: number;
  const make = (over: Partial<ConstructorParameters<typeof LocalIdentityProvider>[0]> = {}) =>
    new LocalIdentityProvider({
      db,
      keys,
      issuer: "http://vp.test",
      accessTokenTtlSeconds: 600,
      refreshTokenTtlSeconds: 3600,
      requireEmailConfirmation: false,
      mailer,
      clock: () => now,
      scrypt: FAST,
      ...over,
    });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-identity-adapter-"));
    db = new Database(join(dir, "vp.sqlite"));
    db.pragma("journal_mode = WAL");
    keys = await loadOrCreateSigningKeys(dir);
    mailer = new MemoryMailer();
    now = Date.UTC(2030, 0, 1);
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("migrates idempotently and stores only a salted scrypt hash", async () => {
    migrate(db);
    migrate(db);
    const id = make();
    await id.signUp({ email: "a@example.com", password: PASSWORD });
    await id.signUp({ email: "b@example.com", password: PASSWORD });
    const rows = db.prepare("SELECT password_hash FROM identity_users ORDER BY email").all() as {
      password_hash: string;
    }[];
    expect(rows).toHaveLength(2);
    for (const { password_hash } of rows) {
      expect(password_hash).toMatch(/^scrypt\$4096\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
      expect(password_hash).not.toContain(PASSWORD);
    }
    expect(rows[0]?.password_hash).not.toBe(rows[1]?.password_hash);
  });

  it("issues ES256 access tokens with kid, sub, email, token_use, iss, iat, exp and jti", async () => {
    const id = make();
    const { userId } = await id.signUp({
      email: "Claims@Example.com",
      password: PASSWORD,
    });
    const { accessToken, expiresIn } = await id.signIn({
      email: "claims@example.com",
      password: PASSWORD,
    });
    const [h, p] = accessToken
      .split(".")
      .slice(0, 2)
      .map((s) => JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Record<string, unknown>);
    expect(h).toEqual({ alg: "ES256", kid: keys.kid, typ: "JWT" });
    const iat = Math.floor(now / 1000);
    expect(p).toEqual({
      sub: userId,
      email: "claims@example.com",
      token_use: "access",
      iss: "http://vp.test",
      iat,
      exp: iat + 600,
      jti: expect.any(String),
      sid: expect.any(String),
    });
    expect(expiresIn).toBe(600);
    const verifier = createJwksTokenVerifier({
      issuer: "http://vp.test",
      jwks: keys.jwks(),
      clock: () => now,
    });
    expect(await verifier.verify(accessToken)).toEqual({
      userId,
      email: "claims@example.com",
      sessionId: p?.sid,
    });
  });

  it("revokes the whole refresh family when a rotated token is replayed", async () => {
    const id = make();
    await id.signUp({ email: "r@example.com", password: PASSWORD });
    const t1 = await id.signIn({ email: "r@example.com", password: PASSWORD });
    const t2 = await id.refresh(t1.refreshToken);
    const other = await id.signIn({
      email: "r@example.com",
      password: PASSWORD,
    }); // another device, another family
    expect(await codeOf(id.refresh(t1.refreshToken))).toBe("INVALID_TOKEN");
    expect(await codeOf(id.refresh(t2.refreshToken))).toBe("INVALID_TOKEN");
    await expect(id.refresh(other.refreshToken)).resolves.toMatchObject({
      tokenType: "Bearer",
    });
    const stored = db.prepare("SELECT token_hash FROM identity_refresh_tokens").all() as { token_hash: string }[];
    expect(stored.map((r) => r.token_hash)).not.toContain(t1.refreshToken);
  });

  it("ends a session at its absolute expiry even when refreshed along the way", async () => {
    const id = make();
    await id.signUp({ email: "e@example.com", password: PASSWORD });
    let t = await id.signIn({ email: "e@example.com", password: PASSWORD });
    now += 3000_000;
    t = await id.refresh(t.refreshToken);
    now += 700_000;
    expect(await codeOf(id.refresh(t.refreshToken))).toBe("TOKEN_EXPIRED");
  });

  it("locks a code after five wrong guesses and lets a repeated sign-up mail a fresh one", async () => {
    const id = make({ requireEmailConfirmation: true });
    const { userId } = await id.signUp({
      email: "c@example.com",
      password: PASSWORD,
    });
    const first = mailer.lastCodeFor("c@example.com");
    const wrong = first === "999999" ? "999998" : "999999";
    for (let i = 0; i < 5; i++)
      expect(await codeOf(id.confirm({ email: "c@example.com", code: wrong }))).toBe("CODE_MISMATCH");
    expect(await codeOf(id.confirm({ email: "c@example.com", code: first }))).toBe("CODE_MISMATCH");
    // A different password cannot hijack the pending account (the owner is told by mail)...
    expect(await codeOf(id.signUp({ email: "c@example.com", password: "other pass 99" }))).toBe("ALREADY_EXISTS");
    expect(mailer.sent.at(-1)?.subject).toBe("You already have a video-processor account");
    expect(mailer.sent.at(-1)?.text).toContain("not confirmed yet");
    // ...the same password gets a new code.
    expect(await id.signUp({ email: "c@example.com", password: PASSWORD })).toEqual({ userId, confirmed: false });
    expect(mailer.sent).toHaveLength(3);
    await id.confirm({
      email: "c@example.com",
      code: mailer.lastCodeFor("c@example.com"),
    });
    expect(await id.getUser(userId)).toMatchObject({ confirmed: true });
    expect(await codeOf(id.signUp({ email: "c@example.com", password: PASSWORD }))).toBe("ALREADY_EXISTS");
  });

  it("spends one scrypt hash on a taken address, as on a new one", async () => {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
    // Production scrypt makes the difference a missing hash would make plain (~tens of ms).
    const slow = make({ scrypt: DEFAULT_SCRYPT_PARAMS });
    await slow.signUp({ email: "slow@example.com", password: PASSWORD });
    const time = async (email: string) => {
      const started = performance.now();
      await slow.signUp({ email, password: PASSWORD }).catch(() => undefined);
      return performance.now() - started;
    };
    const fresh: number[] = [];
    const taken: number[] = [];
    for (let i = 0; i < 5; i++) {
      fresh.push(await time(`new${i}@example.com`));
      taken.push(await time("slow@example.com"));
    }
    console.log(`sign-up, production scrypt: new ${median(fresh).toFixed(1)} ms, taken ${median(taken).toFixed(1)} ms`);
    const [f, t] = [median(fresh), median(taken)];
    expect(Math.abs(f - t) / f, `new ${f.toFixed(1)} ms vs taken ${t.toFixed(1)} ms`).toBeLessThan(0.5);
  });

  it("ends a session: its refresh family, and its access tokens for every verifier on the store", async () => {
    const store = new SqliteSessionRevocations({ db, clock: () => now });
    let apiNow = now;
    // The API process: its own cache over the same database file.
    const apiView = cachedSessionRevocations(new SqliteSessionRevocations({ db, clock: () => now }), {
      clock: () => apiNow,
    });
    const id = make({ revocations: cachedSessionRevocations(store, { clock: () => now }) });
    const verifier = createJwksTokenVerifier({
      issuer: "http://vp.test",
      jwks: keys.jwks(),
      clock: () => now,
      revocations: apiView,
    });
    await id.signUp({ email: "o@example.com", password: PASSWORD });
    const t1 = await id.signIn({ email: "o@example.com", password: PASSWORD });
    const t2 = await id.refresh(t1.refreshToken);
    const other = await id.signIn({ email: "o@example.com", password: PASSWORD });
    expect((await verifier.verify(t1.accessToken)).sessionId).toBe((await verifier.verify(t2.accessToken)).sessionId);
    await id.signOut({ refreshToken: t2.refreshToken });
    expect(await codeOf(id.refresh(t2.refreshToken))).toBe("INVALID_TOKEN");
    // The API answered from its cache a moment ago; within the bound it asks the store again.
    apiNow += SESSION_REVOCATION_CACHE_SECONDS * 1000;
    expect(await codeOf(verifier.verify(t1.accessToken))).toBe("INVALID_TOKEN");
    expect(await codeOf(verifier.verify(t2.accessToken))).toBe("INVALID_TOKEN");
    expect(await verifier.verify(other.accessToken)).toMatchObject({ userId: expect.any(String) });
    // The revocation outlives the last access token of the family, then goes.
    const row = db.prepare("SELECT revoked_until FROM identity_session_revocations").get() as { revoked_until: number };
    expect(row.revoked_until).toBe(now + (600 + 60) * 1000);
  });

  it("ends a session from an expired access token too (its refresh token may live on)", async () => {
    const id = make({ revocations: new SqliteSessionRevocations({ db, clock: () => now }) });
    await id.signUp({ email: "x2@example.com", password: PASSWORD });
    const t = await id.signIn({ email: "x2@example.com", password: PASSWORD });
    now += 601_000;
    await id.signOut({ accessToken: t.accessToken });
    expect(await codeOf(id.refresh(t.refreshToken))).toBe("INVALID_TOKEN");
  });

  it("refuses an expired confirmation code", async () => {
    const id = make({ requireEmailConfirmation: true });
    await id.signUp({ email: "x@example.com", password: PASSWORD });
    now += 25 * 3600_000;
    expect(
      await codeOf(
        id.confirm({
          email: "x@example.com",
          code: mailer.lastCodeFor("x@example.com"),
        }),
      ),
    ).toBe("CODE_MISMATCH");
  });

  it("mails a confirmation code in text and HTML", async () => {
    const id = make({ requireEmailConfirmation: true });
    await id.signUp({ email: "m@example.com", password: PASSWORD });
    const [mail] = mailer.sent;
    const code = mailer.lastCodeFor("m@example.com");
    expect(mail?.to).toBe("m@example.com");
    expect(mail?.subject).toContain(code);
    expect(mail?.html).toContain(`<strong>${code}</strong>`);
  });

  it("reports a mail failure as INTERNAL and recovers on the next sign-up", async () => {
    const id = make({ requireEmailConfirmation: true });
    mailer.failNext = true;
    expect(await codeOf(id.signUp({ email: "f@example.com", password: PASSWORD }))).toBe("INTERNAL");
    await id.signUp({ email: "f@example.com", password: PASSWORD });
    expect(mailer.lastCodeFor("f@example.com")).toMatch(/^\d{6}$/);
  });

  it("upgrades a hash made with older parameters at the next sign-in", async () => {
    const id = make();
    await id.signUp({ email: "u@example.com", password: PASSWORD });
    db.prepare("UPDATE identity_users SET password_hash = ?").run(
      await hashPassword(PASSWORD, { N: 2 ** 10, r: 8, p: 1 }),
    );
    await id.signIn({ email: "u@example.com", password: PASSWORD });
    const { password_hash } = db.prepare("SELECT password_hash FROM identity_users").get() as { password_hash: string };
    expect(password_hash.startsWith("scrypt$4096$8$1$")).toBe(true);
    await id.signIn({ email: "u@example.com", password: PASSWORD });
  });

  it("hashes with the production scrypt parameters by default", async () => {
    const hash = await hashPassword("p4ssword!");
    expect(hash.startsWith(`scrypt$${DEFAULT_SCRYPT_PARAMS.N}$8$1$`)).toBe(true);
    expect(await verifyPassword("p4ssword!", hash)).toEqual({
      ok: true,
      needsRehash: false,
    });
    expect(await verifyPassword("p4ssword?", hash)).toEqual({
      ok: false,
      needsRehash: false,
    });
  });
});

describe("signing keys", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-keys-"));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it("generates once into <dir>/keys with mode 0600 and reuses it", async () => {
    const a = await loadOrCreateSigningKeys(dir);
    const files = await readdir(join(dir, "keys"));
    expect(files).toEqual(["signing-key.es256.json"]);
    expect((await stat(join(dir, "keys", files[0] ?? ""))).mode & 0o777).toBe(0o600);
    const b = await loadOrCreateSigningKeys(dir);
    expect(b.kid).toBe(a.kid);
    expect(b.jwks()).toEqual(a.jwks());
  });

  it("agrees on one key when several processes start at once", async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSigningKeys(dir)));
    expect(new Set(all.map((k) => k.kid)).size).toBe(1);
    expect(await readdir(join(dir, "keys"))).toHaveLength(1);
  });

  it("publishes only the public half", async () => {
    const keys = await loadOrCreateSigningKeys(dir);
    const [jwk] = keys.jwks().keys;
    expect(jwk).toMatchObject({
      kty: "EC",
      crv: "P-256",
      kid: keys.kid,
      alg: "ES256",
      use: "sig",
    });
    expect(jwk).not.toHaveProperty("d");
    const onDisk = JSON.parse(await readFile(join(dir, "keys", "signing-key.es256.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(onDisk).toHaveProperty("d");
  });
});
