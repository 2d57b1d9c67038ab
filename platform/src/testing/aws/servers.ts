import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import dynalite from "dynalite";
import S3rver from "s3rver";
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { createAwsClients, type AwsClients } from "../../aws/clients.js";
import { createTable } from "../../aws/dynamo-table.js";

/** Per-test random names (buckets: lowercase, 3-63 chars). */
export const randomName = (prefix: string): string => `${prefix}-${randomBytes(5).toString("hex")}`;

export const TEST_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;
export const TEST_REGION = "us-east-1";

/** A port nobody listens on right now (for servers that must know their port before they start). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
}

export interface RunningServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** DynamoDB (dynalite, in memory) on a free port. */
export async function startDynalite(): Promise<RunningServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

/** S3 (s3rver) on a free port, storing under a temp dir removed on close. */
export async function startS3rver(): Promise<RunningServer> {
  const directory = await mkdtemp(join(tmpdir(), "vp-s3rver-"));
  const s3rver = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets: [] });
  const address = await s3rver.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    async close() {
      await s3rver.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export const redisServerAvailable = (): boolean =>
  spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;

/** A private redis-server (no persistence) on a free port, in a temp dir. */
export async function startRedis(): Promise<RunningServer & { readonly url: string }> {
  const dir = await mkdtemp(join(tmpdir(), "vp-redis-"));
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/Ready to accept connections/i.test(out)) resolve();
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
    child.once("error", reject);
  });
  const exited = new Promise((r) => child.once("exit", r));
  return {
    endpoint: `127.0.0.1:${port}`,
    url: `redis://127.0.0.1:${port}`,
    async close() {
      child.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One mail as aws-ses-v2-local stored it (its `GET /store` shape, the fields the tests read). */
export interface SesStoredMail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: {
    readonly to: readonly string[];
    readonly cc: readonly string[];
    readonly bcc: readonly string[];
  };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  /** Epoch seconds. */
  readonly at: number;
}

export interface SesLocal extends RunningServer {
  /** Every mail the server accepted, oldest first, read over its own HTTP API (`GET /store`). */
  mails(): Promise<readonly SesStoredMail[]>;
  /** Forgets the stored mails (`POST /clear-store`). */
  clear(): Promise<void>;
}

/**
 * SES v2 (aws-ses-v2-local: SendEmail, templates, bulk) on a free port. It checks only that a
 * request is signed somehow, so any fake credentials do. Its store lives in the module, not the
 * server: every server started in one process shares it (clear() empties it for all of them).
 */
export async function startSesLocal(): Promise<SesLocal> {
  // Loaded on first use: it brings express and mailparser, which the other servers' users never need.
  // A CommonJS module with `exports.default`: Node's ESM import nests it under `default` once
  // more, Vite's interop (vitest) does not.
  const loaded = (await import("aws-ses-v2-local")).default;
  type Start = typeof loaded.default;
  // Its types describe only the nested shape, so the function branch is `never` to the checker.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the assertion names what vitest hands over
  const start: Start = typeof loaded === "function" ? (loaded as unknown as Start) : loaded.default;
  const server = await start({ host: "127.0.0.1", port: 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const call = async (path: string, init?: RequestInit): Promise<unknown> => {
    const res = await fetch(`${endpoint}${path}`, init);
    if (!res.ok) throw new Error(`aws-ses-v2-local ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    endpoint,
    async mails() {
      return ((await call("/store")) as { emails: SesStoredMail[] }).emails;
    },
    async clear() {
      await call("/clear-store", { method: "POST" });
    },
    close: () => closeServer(server),
  };
}

/** AWS clients pointed at the given local endpoints, with static test credentials. */
export function testClients(endpoints: Parameters<typeof createAwsClients>[0]["endpoints"]): AwsClients {
  return createAwsClients({ region: TEST_REGION, endpoints, forcePathStyle: true, credentials: TEST_CREDENTIALS });
}

/** The resources the CDK app creates, made on the test servers through the same wire protocols. */
export interface ProvisionedResources {
  readonly table: string;
  readonly videosBucket: string;
  readonly archivesBucket: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

/** A table, the two buckets and a user pool with an app client (password auth), each with a random name. */
export async function provisionResources(clients: AwsClients): Promise<ProvisionedResources> {
  const table = randomName("vp-records");
  const [videosBucket, archivesBucket] = [randomName("vp-videos"), randomName("vp-archives")];
  await createTable(clients.dynamodb(), table);
  for (const Bucket of [videosBucket, archivesBucket]) await clients.s3().send(new CreateBucketCommand({ Bucket }));
  const pool = await clients
    .cognito()
    .send(new CreateUserPoolCommand({ PoolName: randomName("vp"), UsernameAttributes: ["email"] }));
  const userPoolId = pool.UserPool!.Id!;
  const app = await clients.cognito().send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: "api",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  return { table, videosBucket, archivesBucket, userPoolId, userPoolClientId: app.UserPoolClient!.ClientId! };
}
