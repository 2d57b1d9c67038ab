import { createHmac, timingSafeEqual } from "node:crypto";

/** What a frame URL grants: one frame of one job of one owner, until `expires` (Unix seconds). */
export interface FrameClaims {
  readonly ownerId: string;
  readonly jobId: string;
  readonly index: number;
  readonly expires: number;
}

/** Kept apart from every other signature made with the same secret. */
const PURPOSE = "vp-frame-url/1";

const mac = (secret: Uint8Array, payload: string): string =>
  createHmac("sha256", secret).update(`${PURPOSE}\n${payload}`).digest("base64url");

/** `<payload>.<signature>`, both base64url: safe in a path segment. */
export function signFrameToken(secret: Uint8Array, claims: FrameClaims): string {
  const payload = Buffer.from(JSON.stringify([claims.ownerId, claims.jobId, claims.index, claims.expires])).toString(
    "base64url",
  );
  return `${payload}.${mac(secret, payload)}`;
}

export type FrameTokenCheck =
  | { readonly ok: true; readonly claims: FrameClaims }
  | { readonly ok: false; readonly code: "INVALID_SIGNATURE" | "URL_EXPIRED" };

/** Checks the signature first: an unsigned token's claims (expiry included) are never looked at. */
export function verifyFrameToken(secret: Uint8Array, token: string, nowSeconds: number): FrameTokenCheck {
  const bad = { ok: false, code: "INVALID_SIGNATURE" } as const;
  const m = /^([A-Za-z0-9_-]{1,1024})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (m === null) return bad;
  const [, payload = "", signature = ""] = m;
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return bad;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return bad;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return bad;
  const [ownerId, jobId, index, expires] = parsed as unknown[];
  if (
    typeof ownerId !== "string" ||
    typeof jobId !== "string" ||
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(expires)
  )
    return bad;
  if (nowSeconds > (expires as number)) return { ok: false, code: "URL_EXPIRED" };
  return { ok: true, claims: { ownerId, jobId, index: index as number, expires: expires as number } };
}
