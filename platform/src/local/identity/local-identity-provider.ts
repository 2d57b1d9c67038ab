import { createHash, createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import type { Database, Statement } from "better-sqlite3";
import { DomainError, newId } from "@vp/domain";
import { SignJWT, compactVerify, createLocalJWKSet } from "jose";
import type { AuthTokens, IdentityProvider, UserRecord } from "../../ports/identity.js";
import type { Mail, Mailer } from "../../ports/mailer.js";
import type { SessionRevocations } from "../../ports/session-revocations.js";
import { accountExistsMail, confirmationMail } from "./confirmation-mail.js";
import { assertAcceptablePassword, assertValidEmail, normalizeEmail } from "../../shared/credentials-policy.js";
import { migrate } from "./migrate.js";
import { DEFAULT_SCRYPT_PARAMS, hashPassword, verifyPassword, type ScryptParams } from "./password-hash.js";
import type { SigningKeys } from "./signing-keys.js";

export interface LocalIdentityProviderOptions {
  readonly db: Database;
  readonly keys: SigningKeys;
  /** `iss` of the tokens; verifiers must expect the same string (our public URL). */
  readonly issuer: string;
  readonly accessTokenTtlSeconds: number;
  /** Absolute lifetime of a sign-in session: rotation never extends it. @default 30 days */
  readonly refreshTokenTtlSeconds?: number;
  readonly requireEmailConfirmation: boolean;
  readonly mailer: Mailer;
  /** Milliseconds since the epoch. @default Date.now */
  readonly clock?: () => number;
  /** @default DEFAULT_SCRYPT_PARAMS */
  readonly scrypt?: ScryptParams;
  /**
   * Where signOut records the session (`sid`, the refresh family) so verifiers refuse its access
   * tokens; the same store the API's verifier reads. Without it, access tokens of a signed-out
   * session stay valid until they expire (the refresh family is revoked either way).
   */
  readonly revocations?: SessionRevocations;
  /** Failures of mails sent in the background (sign-up of a taken address without confirmation). */
  readonly onMailError?: (error: unknown) => void;
}

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  confirmed: 0 | 1;
  confirmation_code_hash: string | null;
  confirmation_expires_at: number | null;
  confirmation_attempts: number;
}

interface RefreshRow {
  token_hash: string;
  family_id: string;
  user_id: string;
  expires_at: number;
  rotated_at: number | null;
  revoked_at: number | null;
}

const CODE_TTL_HOURS = 24;
const MAX_CODE_ATTEMPTS = 5;
const REFRESH_TOKEN_BYTES = 32;
/** Anything longer is not a password we could have accepted: refuse without hashing it. */
const MAX_SIGN_IN_PASSWORD_LENGTH = 1024;

const invalidCredentials = () => new DomainError("INVALID_CREDENTIALS", "The email or password is incorrect.");
const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");
const sameHex = (a: string, b: string): boolean => {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Accounts on one machine: users and refresh tokens in SQLite, scrypt password hashes, ES256
 * access tokens that any JWKS verifier (ours or Cognito's code path) accepts.
 */
export class LocalIdentityProvider implements IdentityProvider {
  private readonly clock: () => number;
  private readonly scryptParams: ScryptParams;
  private readonly refreshTtlMs: number;
  /** Verified against on unknown emails so a miss costs what a hit costs. */
  private readonly dummyHash: Promise<string>;
  private readonly sql: {
    userByEmail: Statement<[string], UserRow>;
    userById: Statement<[string], UserRow>;
    insertUser: Statement<[string, string, string, number, string | null, number | null, number, number]>;
    setCode: Statement<[string | null, number | null, number, string]>;
    codeAttempt: Statement<[number, string]>;
    touchAnyUser: Statement<[]>;
    confirmUser: Statement<[number, string]>;
    setPasswordHash: Statement<[string, number, string]>;
    refreshByHash: Statement<[string], RefreshRow>;
    insertRefresh: Statement<[string, string, string, number, number]>;
    rotateRefresh: Statement<[number, string]>;
    revokeFamily: Statement<[number, string]>;
    deleteExpiredRefresh: Statement<[number]>;
  };
  private readonly publicKeys: ReturnType<typeof createLocalJWKSet>;

  constructor(private readonly options: LocalIdentityProviderOptions) {
    this.clock = options.clock ?? Date.now;
    this.scryptParams = options.scrypt ?? DEFAULT_SCRYPT_PARAMS;
    this.refreshTtlMs = (options.refreshTokenTtlSeconds ?? 30 * 24 * 3600) * 1000;
    this.dummyHash = hashPassword(randomBytes(16).toString("hex"), this.scryptParams);
    this.dummyHash.catch(() => undefined);
    const { db } = options;
    migrate(db);
    this.sql = {
      userByEmail: db.prepare("SELECT * FROM identity_users WHERE email = ?"),
      userById: db.prepare("SELECT * FROM identity_users WHERE id = ?"),
      insertUser: db.prepare(
        `INSERT INTO identity_users (id, email, password_hash, confirmed, confirmation_code_hash, confirmation_expires_at,
           confirmation_attempts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      ),
      setCode: db.prepare(
        `UPDATE identity_users SET confirmation_code_hash = ?, confirmation_expires_at = ?, confirmation_attempts = 0,
           updated_at = ? WHERE id = ?`,
      ),
      codeAttempt: db.prepare(
        "UPDATE identity_users SET confirmation_attempts = confirmation_attempts + 1, updated_at = ? WHERE id = ?",
      ),
      // Rewrites one row unchanged: a real write, as costly as counting an attempt.
      touchAnyUser: db.prepare(
        `UPDATE identity_users SET confirmation_attempts = confirmation_attempts
           WHERE rowid = (SELECT max(rowid) FROM identity_users)`,
      ),
      confirmUser: db.prepare(
        `UPDATE identity_users SET confirmed = 1, confirmation_code_hash = NULL, confirmation_expires_at = NULL,
           confirmation_attempts = 0, updated_at = ? WHERE id = ?`,
      ),
      setPasswordHash: db.prepare("UPDATE identity_users SET password_hash = ?, updated_at = ? WHERE id = ?"),
      refreshByHash: db.prepare("SELECT * FROM identity_refresh_tokens WHERE token_hash = ?"),
      insertRefresh: db.prepare(
        "INSERT INTO identity_refresh_tokens (token_hash, family_id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      ),
      rotateRefresh: db.prepare(
        "UPDATE identity_refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL",
      ),
      revokeFamily: db.prepare(
        "UPDATE identity_refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
      ),
      deleteExpiredRefresh: db.prepare("DELETE FROM identity_refresh_tokens WHERE expires_at < ?"),
    };
    this.publicKeys = createLocalJWKSet(options.keys.jwks());
  }

  get requiresEmailConfirmation(): boolean {
    return this.options.requireEmailConfirmation;
  }

  async signUp(input: {
    readonly email: string;
    readonly password: string;
  }): Promise<{ userId: string; confirmed: boolean }> {
    const email = assertValidEmail(input.email);
    await assertAcceptablePassword(input.password, email);
    const existing = this.sql.userByEmail.get(email);
    if (existing) return this.signUpAgain(existing, input.password);

    const passwordHash = await hashPassword(input.password, this.scryptParams);
    const userId = newId();
    const now = this.clock();
    const confirmed = !this.options.requireEmailConfirmation;
    const code = confirmed ? null : newConfirmationCode();
    try {
      this.sql.insertUser.run(
        userId,
        email,
        passwordHash,
        confirmed ? 1 : 0,
        code === null ? null : codeHash(userId, code),
        code === null ? null : now + CODE_TTL_HOURS * 3600_000,
        now,
        now,
      );
    } catch (e) {
      if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") throw alreadyExists();
      throw e;
    }
    if (code !== null) await this.mailCode(email, code);
    return { userId, confirmed };
  }

  /**
   * A taken address. Costs what a creation costs (one scrypt, the same mail behaviour) so neither
   * time nor answer tells the caller anything; the owner gets the news by mail.
   * The only way back for someone whose code expired or was lost: signing up again with the
   * same password re-sends a fresh code. A different password never replaces the pending one.
   */
  private async signUpAgain(user: UserRow, password: string): Promise<{ userId: string; confirmed: boolean }> {
    if (user.confirmed === 1) {
      await hashPassword(password, this.scryptParams); // the hash a new account would have cost
      await this.mailLikeANewAccount(accountExistsMail(user.email, { confirmed: true }));
      throw alreadyExists();
    }
    const check = await verifyPassword(password, user.password_hash, this.scryptParams);
    if (!check.ok) {
      await this.mailLikeANewAccount(accountExistsMail(user.email, { confirmed: false }));
      throw alreadyExists();
    }
    const code = newConfirmationCode();
    const now = this.clock();
    this.sql.setCode.run(codeHash(user.id, code), now + CODE_TTL_HOURS * 3600_000, now, user.id);
    await this.mailCode(user.email, code);
    return { userId: user.id, confirmed: false };
  }

  /**
   * A new account waits for its mail only when it gets one (the code); without confirmation it
   * gets none, so the taken-address mail then goes in the background to cost the same time.
   */
  private async mailLikeANewAccount(mail: Mail): Promise<void> {
    if (this.options.requireEmailConfirmation) return this.sendMail(mail);
    // After the answer has gone: building and writing the mail must not delay it either.
    setImmediate(() => void this.sendMail(mail).catch((e: unknown) => this.options.onMailError?.(e)));
  }

  /**
   * One answer, CODE_MISMATCH with one message, for every failure: unknown address, wrong,
   * expired or locked code, nothing pending, already confirmed. Every path does one HMAC and
   * one write, so timing does not separate them either.
   */
  async confirm(input: { readonly email: string; readonly code: string }): Promise<void> {
    const mismatch = () => new DomainError("CODE_MISMATCH", CODE_MISMATCH_MESSAGE, ["code"]);
    const user = this.sql.userByEmail.get(normalizeEmail(input.email));
    const now = this.clock();
    const expected = user?.confirmation_code_hash ?? null;
    const supplied = codeHash(user?.id ?? "", /^\d{6}$/.test(input.code) ? input.code : "");
    const usable =
      user !== undefined &&
      user.confirmed === 0 &&
      expected !== null &&
      user.confirmation_expires_at !== null &&
      now <= user.confirmation_expires_at &&
      user.confirmation_attempts < MAX_CODE_ATTEMPTS;
    // Counts the attempt; anything else rewrites a row unchanged, at the same cost.
    if (usable) this.sql.codeAttempt.run(now, user.id);
    else this.sql.touchAnyUser.run();
    if (!usable || !sameHex(supplied, expected) || !/^\d{6}$/.test(input.code)) throw mismatch();
    this.sql.confirmUser.run(now, user.id);
  }

  async signIn(input: { readonly email: string; readonly password: string }): Promise<AuthTokens> {
    if (input.password.length > MAX_SIGN_IN_PASSWORD_LENGTH) throw invalidCredentials();
    const user = this.sql.userByEmail.get(normalizeEmail(input.email));
    if (!user) {
      await verifyPassword(input.password, await this.dummyHash, this.scryptParams);
      throw invalidCredentials();
    }
    const check = await verifyPassword(input.password, user.password_hash, this.scryptParams);
    if (!check.ok) throw invalidCredentials();
    if (user.confirmed !== 1) {
      throw new DomainError("NOT_CONFIRMED", "Confirm your email address first: enter the code we emailed you.");
    }
    const now = this.clock();
    if (check.needsRehash) {
      this.sql.setPasswordHash.run(await hashPassword(input.password, this.scryptParams), now, user.id);
    }
    this.sql.deleteExpiredRefresh.run(now);
    const familyId = randomUUID();
    const refreshToken = this.storeRefreshToken(user.id, familyId, now + this.refreshTtlMs);
    return this.tokens(user, refreshToken, familyId);
  }

  async refresh(refreshToken: string): Promise<AuthTokens> {
    const invalid = (message = "The refresh token is invalid; sign in again.") =>
      new DomainError("INVALID_TOKEN", message);
    if (typeof refreshToken !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(refreshToken)) throw invalid();
    const now = this.clock();
    // One transaction so two concurrent uses of the same token cannot both rotate it; the
    // outcome is returned (not thrown) so a family revocation commits before we refuse.
    const outcome = this.options.db
      .transaction((): { user: UserRow; token: string; familyId: string } | DomainError => {
        const row = this.sql.refreshByHash.get(sha256(refreshToken));
        if (!row || row.revoked_at !== null) return invalid();
        if (row.rotated_at !== null) {
          // A rotated token came back: someone holds a copy. End the whole session for both.
          this.sql.revokeFamily.run(now, row.family_id);
          return invalid("The refresh token was already used; sign in again.");
        }
        if (now >= row.expires_at) return new DomainError("TOKEN_EXPIRED", "The session has expired; sign in again.");
        const user = this.sql.userById.get(row.user_id);
        if (!user) return invalid();
        if (this.sql.rotateRefresh.run(now, row.token_hash).changes !== 1) return invalid();
        return {
          user,
          token: this.storeRefreshToken(user.id, row.family_id, row.expires_at),
          familyId: row.family_id,
        };
      })
      .immediate();
    if (outcome instanceof DomainError) throw outcome;
    return this.tokens(outcome.user, outcome.token, outcome.familyId);
  }

  async signOut(input: {
    readonly refreshToken?: string | undefined;
    readonly accessToken?: string | undefined;
  }): Promise<void> {
    const families = new Set<string>();
    const { refreshToken, accessToken } = input;
    if (typeof refreshToken === "string" && /^[A-Za-z0-9_-]{43}$/.test(refreshToken)) {
      const row = this.sql.refreshByHash.get(sha256(refreshToken));
      if (row) families.add(row.family_id);
    }
    if (typeof accessToken === "string" && accessToken.length > 0 && accessToken.length <= 16_384) {
      const sid = await this.sessionOfAccessToken(accessToken);
      if (sid !== null) families.add(sid);
    }
    const now = this.clock();
    for (const familyId of families) {
      this.sql.revokeFamily.run(now, familyId);
      // Its access tokens were minted at most accessTokenTtlSeconds ago and the family can mint no
      // more: the revocation only has to outlive the last of them (plus the verifier's leeway).
      const until = new Date(now + (this.options.accessTokenTtlSeconds + 60) * 1000);
      await this.options.revocations?.revoke(familyId, until);
    }
  }

  /**
   * The `sid` of one of our access tokens, checked by signature and issuer only: an expired
   * token still names the session to end (its refresh token may live on).
   */
  private async sessionOfAccessToken(token: string): Promise<string | null> {
    try {
      const { payload } = await compactVerify(token, this.publicKeys, { algorithms: [this.options.keys.alg] });
      const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      if (claims.iss !== this.options.issuer || claims.token_use !== "access") return null;
      return typeof claims.sid === "string" && claims.sid.length > 0 ? claims.sid : null;
    } catch {
      return null;
    }
  }

  async getUser(userId: string): Promise<UserRecord | null> {
    const row = this.sql.userById.get(userId);
    return row ? { userId: row.id, email: row.email, confirmed: row.confirmed === 1 } : null;
  }

  private storeRefreshToken(userId: string, familyId: string, expiresAt: number): string {
    const token = randomBytes(REFRESH_TOKEN_BYTES).toString("base64url");
    this.sql.insertRefresh.run(sha256(token), familyId, userId, this.clock(), expiresAt);
    return token;
  }

  private async tokens(user: UserRow, refreshToken: string, familyId: string): Promise<AuthTokens> {
    const { keys, issuer, accessTokenTtlSeconds } = this.options;
    const iat = Math.floor(this.clock() / 1000);
    const accessToken = await new SignJWT({
      email: user.email,
      token_use: "access",
      // The session (refresh-token family): what signOut revokes and verifiers check.
      sid: familyId,
    })
      .setProtectedHeader({ alg: keys.alg, kid: keys.kid, typ: "JWT" })
      .setSubject(user.id)
      .setIssuer(issuer)
      .setIssuedAt(iat)
      .setExpirationTime(iat + accessTokenTtlSeconds)
      .setJti(randomUUID())
      .sign(keys.privateKey);
    return {
      accessToken,
      refreshToken,
      expiresIn: accessTokenTtlSeconds,
      tokenType: "Bearer",
    };
  }

  private mailCode(email: string, code: string): Promise<void> {
    return this.sendMail(confirmationMail(email, code, CODE_TTL_HOURS));
  }

  private async sendMail(mail: Mail): Promise<void> {
    try {
      await this.options.mailer.send(mail);
    } catch (cause) {
      const error = new DomainError(
        "INTERNAL",
        "The confirmation email could not be sent; sign up again later to resend it.",
      );
      throw Object.assign(error, { cause });
    }
  }
}

const CODE_MISMATCH_MESSAGE =
  "The confirmation code is incorrect or has expired. Sign up again with the same email and password to get a new one.";
const alreadyExists = () => new DomainError("ALREADY_EXISTS", "An account with this email already exists.", ["email"]);
const newConfirmationCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, "0");
/** Keyed by the user id so equal codes of two users never share a hash. */
const codeHash = (userId: string, code: string): string => createHmac("sha256", userId).update(code).digest("hex");
