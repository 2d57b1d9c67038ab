import { createHash, createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import type { Database, Statement } from "better-sqlite3";
import { DomainError, newId } from "@vp/domain";
import { SignJWT } from "jose";
import type { AuthTokens, IdentityProvider, UserRecord } from "../../ports/identity.js";
import type { Mailer } from "../../ports/mailer.js";
import { confirmationMail } from "./confirmation-mail.js";
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
    confirmUser: Statement<[number, string]>;
    setPasswordHash: Statement<[string, number, string]>;
    refreshByHash: Statement<[string], RefreshRow>;
    insertRefresh: Statement<[string, string, string, number, number]>;
    rotateRefresh: Statement<[number, string]>;
    revokeFamily: Statement<[number, string]>;
    deleteExpiredRefresh: Statement<[number]>;
  };

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
  }

  async signUp(input: {
    readonly email: string;
    readonly password: string;
  }): Promise<{ userId: string; confirmed: boolean }> {
    const email = assertValidEmail(input.email);
    assertAcceptablePassword(input.password, email);
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
   * The only way back for someone whose code expired or was lost: signing up again with the
   * same password re-sends a fresh code. Anything else about an existing address is a conflict.
   */
  private async signUpAgain(user: UserRow, password: string): Promise<{ userId: string; confirmed: boolean }> {
    if (user.confirmed === 1) throw alreadyExists();
    const check = await verifyPassword(password, user.password_hash, this.scryptParams);
    if (!check.ok) throw alreadyExists();
    const code = newConfirmationCode();
    const now = this.clock();
    this.sql.setCode.run(codeHash(user.id, code), now + CODE_TTL_HOURS * 3600_000, now, user.id);
    await this.mailCode(user.email, code);
    return { userId: user.id, confirmed: false };
  }

  async confirm(input: { readonly email: string; readonly code: string }): Promise<void> {
    const mismatch = (message = "The confirmation code is incorrect.") =>
      new DomainError("CODE_MISMATCH", message, ["code"]);
    const user = this.sql.userByEmail.get(normalizeEmail(input.email));
    if (!user) throw mismatch();
    if (user.confirmed === 1) return; // confirming twice is harmless; saying so leaks nothing new
    const now = this.clock();
    if (user.confirmation_code_hash === null || user.confirmation_expires_at === null) {
      throw mismatch("No confirmation code is pending; sign up again to get a new one.");
    }
    if (user.confirmation_attempts >= MAX_CODE_ATTEMPTS) {
      throw mismatch("Too many wrong codes; sign up again with the same password to get a new one.");
    }
    if (now > user.confirmation_expires_at)
      throw mismatch("The confirmation code has expired; sign up again to get a new one.");
    this.sql.codeAttempt.run(now, user.id);
    if (!/^\d{6}$/.test(input.code) || !sameHex(codeHash(user.id, input.code), user.confirmation_code_hash))
      throw mismatch();
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
    const refreshToken = this.storeRefreshToken(user.id, randomUUID(), now + this.refreshTtlMs);
    return this.tokens(user, refreshToken);
  }

  async refresh(refreshToken: string): Promise<AuthTokens> {
    const invalid = (message = "The refresh token is invalid; sign in again.") =>
      new DomainError("INVALID_TOKEN", message);
    if (typeof refreshToken !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(refreshToken)) throw invalid();
    const now = this.clock();
    // One transaction so two concurrent uses of the same token cannot both rotate it; the
    // outcome is returned (not thrown) so a family revocation commits before we refuse.
    const outcome = this.options.db
      .transaction((): { user: UserRow; token: string } | DomainError => {
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
        };
      })
      .immediate();
    if (outcome instanceof DomainError) throw outcome;
    return this.tokens(outcome.user, outcome.token);
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

  private async tokens(user: UserRow, refreshToken: string): Promise<AuthTokens> {
    const { keys, issuer, accessTokenTtlSeconds } = this.options;
    const iat = Math.floor(this.clock() / 1000);
    const accessToken = await new SignJWT({
      email: user.email,
      token_use: "access",
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

  private async mailCode(email: string, code: string): Promise<void> {
    try {
      await this.options.mailer.send(confirmationMail(email, code, CODE_TTL_HOURS));
    } catch (cause) {
      const error = new DomainError(
        "INTERNAL",
        "The confirmation email could not be sent; sign up again later to resend it.",
      );
      throw Object.assign(error, { cause });
    }
  }
}

const alreadyExists = () => new DomainError("ALREADY_EXISTS", "An account with this email already exists.", ["email"]);
const newConfirmationCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, "0");
/** Keyed by the user id so equal codes of two users never share a hash. */
const codeHash = (userId: string, code: string): string => createHmac("sha256", userId).update(code).digest("hex");
