import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** 2^15 x 8 x 1: ~32 MiB and tens of ms per hash on a small machine. Stored per hash, so it can rise later. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

const scryptAsync = (password: string, salt: Buffer, params: ScryptParams, keyLength = KEY_LENGTH): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const options: ScryptOptions = {
      N: params.N,
      r: params.r,
      p: params.p,
      maxmem: 256 * params.N * params.r + 1024 * 1024,
    };
    scrypt(password.normalize("NFKC"), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });

/** `scrypt$N$r$p$<salt b64url>$<hash b64url>`: self-describing so parameters can change without a migration. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scryptAsync(password, salt, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export interface PasswordCheck {
  readonly ok: boolean;
  /** The hash was made with other parameters than `current`: rehash after a successful sign-in. */
  readonly needsRehash: boolean;
}

export async function verifyPassword(
  password: string,
  encoded: string,
  current: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<PasswordCheck> {
  const parts = encoded.split("$");
  const [scheme, n, r, p, salt, hash] = parts;
  if (parts.length !== 6 || scheme !== "scrypt" || !n || !r || !p || salt === undefined || hash === undefined) {
    throw new Error("Unrecognized password hash format");
  }
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(hash, "base64url");
  if (expected.length < 16) throw new Error("Password hash too short");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64url"), params, expected.length);
  const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
  const needsRehash = params.N !== current.N || params.r !== current.r || params.p !== current.p;
  return { ok, needsRehash };
}
