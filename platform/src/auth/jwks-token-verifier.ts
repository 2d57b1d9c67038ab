import { DomainError } from "@vp/domain";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import type { AccessTokenVerifier, Principal } from "../ports/identity.js";
import type { SessionRevocations } from "../ports/session-revocations.js";

export interface JwksTokenVerifierOptions {
  /** Expected `iss`: our public URL for local accounts, `https://cognito-idp.<region>.amazonaws.com/<poolId>` for Cognito. */
  readonly issuer: string;
  /**
   * Where the public keys come from: a URL (fetched and cached, refetched on an unknown `kid`),
   * a loader (called again when a token names an unknown `kid`), or a key set in hand.
   */
  readonly jwks: URL | (() => Promise<JSONWebKeySet>) | JSONWebKeySet;
  /** Expected `aud`, when the issuer sets one (Cognito access tokens carry none: use clientId). */
  readonly audience?: string;
  /** Expected `client_id` claim (Cognito access tokens). */
  readonly clientId?: string;
  /**
   * Expected `token_use`. Always checked: an ID token must never pass as an access token.
   * @default "access"
   */
  readonly tokenUse?: "access";
  /** @default 5 */
  readonly clockToleranceSeconds?: number;
  /**
   * Least time between two key set fetches triggered by unknown `kid`s (bounds what a flood of
   * made-up tokens can cost the issuer). @default 30
   */
  readonly jwksCooldownSeconds?: number;
  /** Milliseconds since the epoch; lets tests look at a token from the future. @default Date.now */
  readonly clock?: () => number;
  /**
   * Signed-out sessions: a token whose session is revoked is refused as INVALID_TOKEN. Pass a
   * cached store (cachedSessionRevocations) so each request does not read it. @default none
   */
  readonly revocations?: SessionRevocations;
}

/**
 * The session a token belongs to: `sid` (local accounts: the refresh-token family), `origin_jti`
 * (Cognito: the refresh token it was minted from, stable across refreshes), else the token's own
 * `jti` (cognito-local, which sets neither: only that token can then be revoked).
 */
export function sessionIdOf(payload: JWTPayload): string | undefined {
  for (const claim of [payload.sid, payload.origin_jti, payload.jti])
    if (typeof claim === "string" && claim.length > 0 && claim.length <= 256) return claim;
  return undefined;
}

/** Asymmetric algorithms only: a symmetric or `none` token can never be forged into validity. */
const ALGORITHMS = ["ES256", "ES384", "EdDSA", "Ed25519", "RS256", "RS384", "RS512", "PS256"];

/** One verification path for local accounts and Cognito (its JWKS lives at `<issuer>/.well-known/jwks.json`). */
export function createJwksTokenVerifier(options: JwksTokenVerifierOptions): AccessTokenVerifier {
  const getKey = keyResolver(options.jwks, (options.jwksCooldownSeconds ?? 30) * 1000);
  const clock = options.clock ?? Date.now;
  const tokenUse = options.tokenUse ?? "access";
  return {
    async verify(token: string): Promise<Principal> {
      if (typeof token !== "string" || token.length === 0 || token.length > 16_384) {
        throw new DomainError("INVALID_TOKEN", "The access token is malformed.");
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          issuer: options.issuer,
          ...(options.audience !== undefined ? { audience: options.audience } : {}),
          algorithms: ALGORITHMS,
          clockTolerance: options.clockToleranceSeconds ?? 5,
          currentDate: new Date(clock()),
          requiredClaims: ["sub", "exp", "iat"],
        }));
      } catch (e) {
        throw toDomainError(e);
      }
      if (payload.token_use !== tokenUse) {
        throw new DomainError("INVALID_TOKEN", `The token is not an ${tokenUse} token.`);
      }
      if (options.clientId !== undefined && payload.client_id !== options.clientId) {
        throw new DomainError("INVALID_TOKEN", "The token was issued to another client.");
      }
      const sub = payload.sub;
      if (typeof sub !== "string" || sub.length === 0)
        throw new DomainError("INVALID_TOKEN", "The token names no subject.");
      const sessionId = sessionIdOf(payload);
      if (options.revocations !== undefined && sessionId !== undefined) {
        let revoked: boolean;
        try {
          revoked = await options.revocations.isRevoked(sessionId);
        } catch (cause) {
          // Fail closed: a session we cannot check is not let through.
          throw Object.assign(new DomainError("INTERNAL", "The session could not be checked; try again."), { cause });
        }
        if (revoked) throw new DomainError("INVALID_TOKEN", "The session has been signed out; sign in again.");
      }
      return {
        userId: sub,
        email: typeof payload.email === "string" ? payload.email : null,
        ...(sessionId !== undefined ? { sessionId } : {}),
      };
    },
  };
}

function keyResolver(source: JwksTokenVerifierOptions["jwks"], cooldownMs: number): JWTVerifyGetKey {
  if (source instanceof URL)
    return createRemoteJWKSet(source, {
      cooldownDuration: cooldownMs,
      cacheMaxAge: 600_000,
    });
  if (typeof source !== "function") return createLocalJWKSet(source);
  let current: Promise<JWTVerifyGetKey> | null = null;
  let loadedAt = 0;
  const load = () => {
    loadedAt = Date.now();
    current = source().then((set) => createLocalJWKSet(set));
    current.catch(() => (current = null));
    return current;
  };
  return async (header, token) => {
    const resolve = await (current ?? load());
    try {
      return await resolve(header, token);
    } catch (e) {
      // Keys rotate: reload once for an unknown kid, but not more often than the cooldown allows.
      if (e instanceof errors.JWKSNoMatchingKey && Date.now() - loadedAt >= cooldownMs)
        return (await load())(header, token);
      throw e;
    }
  };
}

function toDomainError(e: unknown): DomainError {
  if (e instanceof errors.JWTExpired)
    return new DomainError("TOKEN_EXPIRED", "The access token has expired; refresh it or sign in again.");
  if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid || isFetchFailure(e)) {
    // Not the caller's fault: the key set could not be read. Say so instead of blaming the token.
    return new DomainError("INTERNAL", "The token signing keys could not be loaded.");
  }
  return new DomainError("INVALID_TOKEN", "The access token is invalid.");
}

/** Network failures and non-200 / non-JSON key set responses, as jose and fetch report them. */
const isFetchFailure = (e: unknown): boolean =>
  (e instanceof TypeError && /fetch/i.test(e.message)) ||
  (e instanceof errors.JOSEError && e.code === "ERR_JOSE_GENERIC" && /JSON Web Key Set HTTP response/.test(e.message));
