import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** One signed-in session per server. */
export interface StoredSession {
  readonly email: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** ISO time the access token stops working. */
  readonly expiresAt: string;
}

interface CredentialsFile {
  version: 1;
  servers: Record<string, StoredSession>;
}

const isSession = (v: unknown): v is StoredSession =>
  typeof v === "object" &&
  v !== null &&
  ["email", "accessToken", "refreshToken", "expiresAt"].every(
    (k) => typeof (v as Record<string, unknown>)[k] === "string",
  );

/** Keeps the well-formed sessions of whatever is on disk (client has no zod dependency; the shape is tiny). */
function parseFile(text: string): CredentialsFile {
  const out: CredentialsFile = { version: 1, servers: {} };
  try {
    const raw = JSON.parse(text) as { servers?: unknown };
    if (typeof raw.servers === "object" && raw.servers !== null)
      for (const [k, v] of Object.entries(raw.servers)) if (isSession(v)) out.servers[k] = v;
  } catch {
    // A damaged file is replaced on the next login rather than blocking every command.
  }
  return out;
}

/** `$XDG_CONFIG_HOME/vproc/credentials.json`, else `~/.config/vproc/credentials.json`. */
export function credentialsPath(env: NodeJS.ProcessEnv): string {
  const base =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(env.HOME || os.homedir(), ".config");
  return path.join(base, "vproc", "credentials.json");
}

/** The key sessions are stored under: the server's origin and path, no trailing slash or /graphql. */
export function serverKey(server: string): string {
  const url = new URL(server);
  return `${url.origin}${url.pathname.replace(/\/+$/, "").replace(/\/graphql$/, "")}`;
}

export interface CredentialsStore {
  readonly path: string;
  get(server: string): Promise<StoredSession | undefined>;
  set(server: string, session: StoredSession): Promise<void>;
  /** Answers whether there was a session to forget. */
  delete(server: string): Promise<boolean>;
}

/** Tokens on disk, readable by the user only (file 0600 in a 0700 dir). */
export function createCredentialsStore(file: string): CredentialsStore {
  const load = async (): Promise<CredentialsFile> => {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, servers: {} };
      throw err;
    }
    return parseFile(text);
  };
  const save = async (data: CredentialsFile): Promise<void> => {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(data, null, 2) + "\n", { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  };
  return {
    path: file,
    async get(server) {
      return (await load()).servers[serverKey(server)];
    },
    async set(server, session) {
      const data = await load();
      data.servers[serverKey(server)] = session;
      await save(data);
    },
    async delete(server) {
      const data = await load();
      const key = serverKey(server);
      if (!(key in data.servers)) return false;
      delete data.servers[key];
      await save(data);
      return true;
    },
  };
}
