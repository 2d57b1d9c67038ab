import { randomUUID } from "node:crypto";
import { mkdir, readFile, unlink, writeFile, link, chmod } from "node:fs/promises";
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { z } from "zod";

export const SIGNING_ALG = "ES256";

export interface SigningKeys {
  /** `kid` of the current key: tokens carry it so verifiers pick the right public key. */
  readonly kid: string;
  readonly alg: typeof SIGNING_ALG;
  readonly privateKey: CryptoKey;
  /** Public keys only, as served at `/.well-known/jwks.json`. */
  jwks(): { keys: JWK[] };
}

const storedKeySchema = z.object({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
  kid: z.string().min(1),
});

const KEY_FILE = "signing-key.es256.json";

/**
 * The key is generated once into `<dir>/keys/` and reused after, so tokens survive restarts and
 * the API and worker processes (which share the data dir) agree on it. Two processes starting at
 * once race safely: each writes a private temp file and hard-links it into place; `link` fails
 * when the name exists, so exactly one key wins and the loser reads it.
 */
export async function loadOrCreateSigningKeys(dir: string): Promise<SigningKeys> {
  const keysDir = join(dir, "keys");
  const path = join(keysDir, KEY_FILE);
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  await chmod(keysDir, 0o700); // the mode above applies only when the folder is created
  const existing = await readKeyFile(path);
  if (existing) {
    await chmod(path, 0o600); // a key written by an older version, or copied in, may be readable by others
    return fromStored(existing);
  }

  const { privateKey } = await generateKeyPair(SIGNING_ALG, {
    extractable: true,
  });
  const jwk = await exportJWK(privateKey);
  const stored = storedKeySchema.parse({
    ...jwk,
    kid: await calculateJwkThumbprint(jwk),
  });
  const tmp = join(keysDir, `.${KEY_FILE}.${randomUUID()}.tmp`);
  await writeFile(tmp, JSON.stringify(stored), {
    mode: 0o600,
    flag: "wx",
    flush: true,
  });
  try {
    await chmod(tmp, 0o600); // in case the umask was looser than the mode asked
    await link(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  const winner = await readKeyFile(path);
  if (!winner) throw new Error(`Signing key ${path} vanished while it was being created`);
  return fromStored(winner);
}

async function readKeyFile(path: string): Promise<z.infer<typeof storedKeySchema> | null> {
  let raw: string;
  try {
    raw = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  const parsed = storedKeySchema.safeParse(JSON.parse(raw));
  if (!parsed.success)
    throw new Error(`Signing key file ${path} is not a valid ES256 private JWK; move it away to generate a new key`);
  return parsed.data;
}

async function fromStored(stored: z.infer<typeof storedKeySchema>): Promise<SigningKeys> {
  const { d: _private, ...publicPart } = stored;
  const key = await importJWK({ ...stored, alg: SIGNING_ALG }, SIGNING_ALG);
  if (key instanceof Uint8Array) throw new Error("Signing key imported as a symmetric secret");
  const publicJwk: JWK = { ...publicPart, alg: SIGNING_ALG, use: "sig" };
  return {
    kid: stored.kid,
    alg: SIGNING_ALG,
    privateKey: key,
    jwks: () => ({ keys: [{ ...publicJwk }] }),
  };
}
