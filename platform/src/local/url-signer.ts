import { createHmac, timingSafeEqual } from "node:crypto";

/** HMAC-SHA256 over newline-joined fields, base64url. Fields never contain a newline (checked by callers' formats). */
export function sign(secret: Uint8Array, fields: ReadonlyArray<string | number>): string {
  return createHmac("sha256", secret).update(fields.map(String).join("\n")).digest("base64url");
}

export function verify(secret: Uint8Array, fields: ReadonlyArray<string | number>, signature: string): boolean {
  const expected = Buffer.from(sign(secret, fields), "utf8");
  const given = Buffer.from(signature, "utf8");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
