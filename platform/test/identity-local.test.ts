import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { identityProviderContract } from "../src/testing/contracts/identity-provider.contract.js";
import { cachedSessionRevocations, createJwksTokenVerifier } from "../src/auth/index.js";
import {
  LocalIdentityProvider,
  SqliteSessionRevocations,
  loadOrCreateSigningKeys,
} from "../src/local/identity/index.js";
import { MemoryMailer, startJwksServer } from "./identity-fixtures.js";

/** Cheap scrypt for the suite's many hashes; the production default is exercised in identity-local-adapter.test.ts. */
const FAST_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };

identityProviderContract("local accounts (SQLite + ES256 JWKS over HTTP)", async ({ requireEmailConfirmation }) => {
  const dir = await mkdtemp(join(tmpdir(), "vp-identity-"));
  const db = new Database(join(dir, "vp.sqlite"));
  db.pragma("journal_mode = WAL");
  const keys = await loadOrCreateSigningKeys(dir);
  const jwksServer = await startJwksServer(() => keys.jwks());
  const mailer = new MemoryMailer();
  // As local-platform wires it: one cached store for sign-out and verification.
  const revocations = cachedSessionRevocations(new SqliteSessionRevocations({ db }));
  const identity = new LocalIdentityProvider({
    db,
    keys,
    issuer: jwksServer.url,
    accessTokenTtlSeconds: 900,
    requireEmailConfirmation,
    mailer,
    scrypt: FAST_SCRYPT,
    revocations,
  });
  const verifierAt = (clock: () => number) =>
    createJwksTokenVerifier({
      issuer: jwksServer.url,
      jwks: new URL(`${jwksServer.url}/.well-known/jwks.json`),
      clock,
      revocations,
    });
  return {
    identity,
    verifier: verifierAt(Date.now),
    verifierAt,
    readConfirmationCode: async (email) => mailer.lastCodeFor(email),
    rotatesRefreshTokens: true,
    mailSubjects: async (email) => mailer.sent.filter((m) => m.to === email.toLowerCase()).map((m) => m.subject),
    accessTokensNameTheirSession: true,
    close: async () => {
      await jwksServer.close();
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
