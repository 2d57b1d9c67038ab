import { execFile } from "node:child_process";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runVproc, type VprocRun } from "./support/run-vproc.js";
import { removeDir, startTestProduct, type TestProduct } from "../../e2e/test/support/product.js";
import { main } from "../src/cli/main.js";

const bin = fileURLToPath(new URL("../bin/vproc.js", import.meta.url));
const PASSWORD = "correct horse battery 9";
let product: TestProduct;
let dir: string;
let video: string;
let env: NodeJS.ProcessEnv;

type Run = VprocRun;
/** The real CLI: its own config dir, the started server, no TTY. */
const vproc = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> =>
  runVproc(args, { cwd: dir, env: { ...env, ...extraEnv }, timeoutMs: 60_000 });
const json = <T = Record<string, any>>(r: Run): T => JSON.parse(r.stdout) as T;
const ffmpeg = (args: string[]): Promise<void> =>
  new Promise((resolve, reject) =>
    execFile("ffmpeg", ["-v", "error", "-y", ...args], (e: Error | null) => (e ? reject(e) : resolve())),
  );

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vproc-e2e-"));
  video = path.join(dir, "clip.mp4");
  [product] = await Promise.all([
    startTestProduct(),
    ffmpeg([
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=160x120:rate=10",
      "-t",
      "3",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
      video,
    ]),
  ]);
  const { PATH, HOME } = process.env;
  env = { PATH, HOME, XDG_CONFIG_HOME: path.join(dir, "config"), VPROC_SERVER: product.url! };
});

afterAll(async () => {
  await product?.close();
  if (product) await removeDir(product.dataDir);
  await removeDir(dir);
});

describe("vproc against a running server", () => {
  let jobId: string;

  it("signs up, storing the session 0600 under the server's URL", async () => {
    const r = await vproc(["signup", "--email", "cli@example.com", "--json"], { VPROC_PASSWORD: PASSWORD });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, email: "cli@example.com", loggedIn: true });
    const file = path.join(dir, "config", "vproc", "credentials.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, "utf8"));
    expect(Object.keys(stored.servers)).toEqual([product.url!.replace(/\/$/, "")]);
  });

  it("refuses a wrong password with exit 1 and one line, then logs in", async () => {
    const wrong = await vproc(["login", "--email", "cli@example.com", "--password", "not the password 1"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe("vproc login: The email or password is incorrect (INVALID_CREDENTIALS)\n");
    const ok = await vproc(["login", "--email", "cli@example.com"], { VPROC_PASSWORD: PASSWORD });
    expect([ok.code, ok.stderr]).toEqual([0, ""]);
    expect(ok.stdout).toContain("Logged in");
  });

  it("on a terminal, asks for the password without echoing it", async () => {
    // `script` gives the CLI a real pseudo-terminal; what we type goes to it as keystrokes.
    const typed = await new Promise<Run>((resolve) => {
      const child = execFile(
        "script",
        ["-qec", `${process.execPath} ${bin} login --email cli@example.com`, "/dev/null"],
        { cwd: dir, env: { ...env, TERM: "dumb" }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      // Typed only once the prompt is on the screen: a terminal in raw mode takes what comes after.
      let seen = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        seen += chunk.toString("utf8");
        if (seen.includes("assword") && !seen.includes("\u0000typed")) {
          seen += "\u0000typed";
          child.stdin!.write(`${PASSWORD}\r`);
        }
      });
    });
    expect(typed.code).toBe(0);
    expect(typed.stdout).toContain("Logged in");
    expect(typed.stdout).not.toContain(PASSWORD);
  });

  it("uploads, waits and unpacks the frames into a directory", async () => {
    const r = await vproc([
      "upload",
      video,
      "--every",
      "1",
      "--width",
      "80",
      "--format",
      "png",
      "--wait",
      "--download",
      "frames",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = json(r);
    expect(out).toMatchObject({
      ok: true,
      job: { status: "SUCCEEDED", result: { frameCount: 3 } },
      download: { unpacked: true, files: 4 },
    });
    jobId = out.job.id;
    const files = (await readdir(path.join(dir, "frames"))).sort();
    expect(files.filter((f) => f.endsWith(".png"))).toHaveLength(3);
    expect(files).toContain("manifest.json");
    const manifest = JSON.parse(await readFile(path.join(dir, "frames", "manifest.json"), "utf8"));
    expect(manifest.frames).toHaveLength(3);
    const png = await readFile(
      path.join(
        dir,
        "frames",
        files.find((f) => f.endsWith(".png"))!,
      ),
    );
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  it("lists jobs, filters by status, shows one job and downloads its ZIP", async () => {
    const list = await vproc(["list", "--json"]);
    expect(list.code).toBe(0);
    expect(json(list).jobs.map((j: { id: string }) => j.id)).toEqual([jobId]);
    const failed = await vproc(["list", "--status", "failed"]);
    expect([failed.code, failed.stdout.trim()]).toEqual([0, "No failed jobs."]);
    expect((await vproc(["list", "--status", "sideways"])).code).toBe(2);
    const human = await vproc(["list"]);
    expect(human.stdout).toMatch(new RegExp(`^${jobId}\\s+SUCCEEDED\\s+100%\\s+3 frames\\s+clip\\.mp4`));

    const status = await vproc(["status", jobId]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("status    SUCCEEDED");
    expect((await vproc(["status", "no-such-job"])).code).toBe(1);

    const dl = await vproc(["download", jobId, "-o", "frames.zip", "--json"]);
    expect(dl.code).toBe(0);
    expect((await stat(path.join(dir, "frames.zip"))).size).toBe(json(dl).download.bytes);
  });

  it("answers a file that is not a video with exit 1 and one clear line", async () => {
    await writeFile(path.join(dir, "notes.mp4"), "shopping list, not a video\n".repeat(40));
    const r = await vproc(["upload", "notes.mp4", "--wait"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^vproc upload: notes\.mp4 is not a video the server can read: .+ \(UNREADABLE_VIDEO\)\n$/,
    );
  });

  it("refuses bad options before uploading anything (exit 2)", async () => {
    const r = await vproc(["upload", video, "--every", "1", "--count", "3"]);
    expect([r.code, r.stderr]).toEqual([2, "vproc upload: choose one sampling mode, not --every and --count\n"]);
    expect((await vproc(["upload", video, "--format", "gif"])).code).toBe(2);
    const list = json(await vproc(["list", "--videos", "--json"]));
    expect(list.videos).toHaveLength(2); // clip.mp4 and notes.mp4 only
  });

  it("refreshes an expired session by itself", async () => {
    const file = path.join(dir, "config", "vproc", "credentials.json");
    const stored = JSON.parse(await readFile(file, "utf8"));
    const key = Object.keys(stored.servers)[0]!;
    stored.servers[key] = {
      ...stored.servers[key],
      accessToken: "expired",
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    };
    await writeFile(file, JSON.stringify(stored));
    const r = await vproc(["list", "--json"]);
    expect(r.code).toBe(0);
    const after = JSON.parse(await readFile(file, "utf8")).servers[key];
    expect(after.accessToken).not.toBe("expired");
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.now());
  });

  it("logs out on the server: the old tokens stop working at once", async () => {
    expect((await vproc(["login", "--email", "cli@example.com"], { VPROC_PASSWORD: PASSWORD })).code).toBe(0);
    const file = path.join(dir, "config", "vproc", "credentials.json");
    const key = product.url!.replace(/\/$/, "");
    const stored = JSON.parse(await readFile(file, "utf8")).servers[key] as {
      accessToken: string;
      refreshToken: string;
    };
    const asked = (token: string) =>
      fetch(`${key}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ job(id: "00000000-0000-4000-8000-000000000000") { id } }' }),
      }).then(async (res) => (await res.json()) as { errors?: { extensions?: { code?: string } }[] });
    expect((await asked(stored.accessToken)).errors).toBeUndefined();
    const out = await vproc(["logout", "--json"]);
    expect([out.code, out.stderr]).toEqual([0, ""]);
    expect(json(out)).toMatchObject({ ok: true, wasLoggedIn: true, signedOutOnServer: true });
    expect(JSON.parse(await readFile(file, "utf8")).servers[key]).toBeUndefined();
    expect((await asked(stored.accessToken)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const refresh = await fetch(`${key}/api/v1/accounts/refresh`, {
      method: "POST",
      body: JSON.stringify({ refreshToken: stored.refreshToken }),
    });
    expect(refresh.status).toBe(401);
  });

  it("still forgets the local session when the server cannot be reached, with a warning", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((r) => closed.close(r));
    const file = path.join(dir, "config", "vproc", "credentials.json");
    const data = JSON.parse(await readFile(file, "utf8"));
    data.servers[down] = {
      email: "cli@example.com",
      accessToken: "a",
      refreshToken: "r",
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    await writeFile(file, JSON.stringify(data), { mode: 0o600 });
    const out = await vproc(["logout", "--server", down]);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(
      /^vproc logout: warning: could not end the session on .*ECONNREFUSED.*until it expires\.\n$/,
    );
    expect(JSON.parse(await readFile(file, "utf8")).servers[down]).toBeUndefined();
  });

  it("exits 3 when the server is down, and 1 when logged out", async () => {
    expect((await vproc(["login", "--email", "cli@example.com"], { VPROC_PASSWORD: PASSWORD })).code).toBe(0);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((r) => closed.close(r));
    const login = await vproc(["login", "--email", "cli@example.com", "--server", down], { VPROC_PASSWORD: PASSWORD });
    expect(login.code).toBe(3);
    expect(login.stderr).toBe(`vproc login: cannot reach ${down} (ECONNREFUSED)\n`);

    expect((await vproc(["logout"])).code).toBe(0);
    const r = await vproc(["list"]);
    expect([r.code, r.stderr]).toEqual([
      1,
      `vproc list: not logged in to ${product.url!.replace(/\/$/, "")}: run vproc login\n`,
    ]);
  });
});

describe("vproc extract (offline, no server)", () => {
  it("writes a ZIP of frames", async () => {
    const r = await vproc(["extract", video, "--count", "2", "--json", "-o", "offline.zip"], {
      VPROC_SERVER: "http://127.0.0.1:9",
    });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, frameCount: 2 });
    expect((await stat(path.join(dir, "offline.zip"))).size).toBeGreaterThan(0);
  });

  it("has help for every command, with examples", async () => {
    // In-process (main() with captured streams): thirteen child processes would only measure tsx start-up.
    const capture = async (argv: string[]) => {
      let stdout = "";
      const sink = { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream;
      const code = await main(argv, { stdout: sink, stderr: sink, env: {} });
      return { code, stdout };
    };
    const top = await capture(["--help"]);
    expect(top.code).toBe(0);
    for (const name of [
      "signup",
      "login",
      "logout",
      "upload",
      "list",
      "status",
      "watch",
      "download",
      "cancel",
      "retry",
      "delete",
      "extract",
    ]) {
      expect(top.stdout).toContain(`  ${name} `);
      const h = await capture([name, "--help"]);
      expect([name, h.code]).toEqual([name, 0]);
      expect(h.stdout).toMatch(/Examples?:/);
    }
  });
});
