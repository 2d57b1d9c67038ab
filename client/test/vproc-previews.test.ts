import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runVproc, type VprocRun } from "./support/run-vproc.js";
import { removeDir, startTestProduct, type TestProduct } from "../../e2e/test/support/product.js";
import { JobOptionsDocument } from "../src/generated/graphql.js";
import { parseVtt } from "../../engine/test/webvtt.js";

/**
 * The previews from the command line and from GraphQL: offline (`vproc extract`), through the
 * started product (`vproc upload`, the worker, the archive), and the typed client's options query.
 */
const PASSWORD = "correct horse battery 9";
let product: TestProduct;
let dir: string;
let video: string;
let env: NodeJS.ProcessEnv;

type Run = VprocRun;
/** The real CLI: its own config dir, the started server, no TTY. */
const vproc = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> =>
  runVproc(args, { cwd: dir, env: { ...env, ...extraEnv }, timeoutMs: 90_000 });
const ffmpeg = (args: string[]): Promise<void> =>
  new Promise((resolve, reject) =>
    execFile("ffmpeg", ["-v", "error", "-y", ...args], (e: Error | null) => (e ? reject(e) : resolve())),
  );

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vproc-previews-"));
  video = path.join(dir, "holiday.mp4");
  [product] = await Promise.all([
    startTestProduct(),
    ffmpeg([
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=320x180:rate=25",
      "-t",
      "8",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
      "-g",
      "25",
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

describe("vproc extract (offline)", () => {
  it("--storyboard --contact-sheet --animated alone: the ZIP holds only the previews", async () => {
    const r = await vproc([
      "extract",
      video,
      "--storyboard",
      "--contact-sheet",
      "--contact-sheet-count",
      "6",
      "--animated",
      "--gif",
      "-o",
      "p.zip",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, frameCount: 0, strategy: "previews" });
  });

  it("--best N: the frames with their scores", async () => {
    const r = await vproc(["extract", video, "--best", "3", "--width", "160", "-o", "b.zip", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, frameCount: 3, strategy: "best" });
  });

  it("refuses sub-flags without their switch and bad values, as usage errors", async () => {
    expect(await vproc(["extract", video, "--gif", "-o", "x.zip"])).toMatchObject({
      code: 2,
      stderr: "vproc extract: --gif goes with --animated\n",
    });
    const r = await vproc(["extract", video, "--storyboard", "--storyboard-width", "100", "-o", "x.zip"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("storyboard.tileWidth: must be at least 160");
    expect((await vproc(["extract", video, "--best", "3", "--every", "2", "-o", "x.zip"])).code).toBe(2);
    // vproc upload checks with the same rules before uploading anything, naming the flag typed.
    expect(await vproc(["upload", video, "--contact-sheet", "--contact-sheet-count", "1"])).toMatchObject({
      code: 2,
      stderr: "vproc upload: --contact-sheet-count: must be at least 2\n",
    });
  });
});

describe("through the server", () => {
  let token: string;

  it("vproc upload with previews: the worker makes them into the job's archive", async () => {
    expect((await vproc(["signup", "--email", "pv@example.com", "--json"], { VPROC_PASSWORD: PASSWORD })).code).toBe(0);
    const r = await vproc([
      "upload",
      video,
      "--storyboard",
      "--contact-sheet",
      "--best",
      "2",
      "--wait",
      "--download",
      "out",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const files = (await readdir(path.join(dir, "out"))).sort();
    expect(files).toEqual([
      "contact-sheet.jpg",
      "frame_000001.jpg",
      "frame_000002.jpg",
      "manifest.json",
      "storyboard.jpg",
      "storyboard.json",
      "storyboard.vtt",
    ]);
    const vtt = await parseVtt(await readFile(path.join(dir, "out", "storyboard.vtt"), "utf8"));
    expect(vtt.errors).toEqual([]);
    expect(vtt.cues.length).toBeGreaterThanOrEqual(50);
    const manifest = JSON.parse(await readFile(path.join(dir, "out", "manifest.json"), "utf8"));
    expect(manifest.strategy).toBe("best");
    // The worker named the contact sheet after the uploaded file, not its stored blob.
    expect(manifest.options.contactSheet.title).toBe("holiday.mp4");
  });

  it("GraphQL: the previews are typed inputs; bad ones are userErrors under their path, nothing created", async () => {
    const login = await fetch(`${product.url}/api/v1/accounts/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "pv@example.com", password: PASSWORD }),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
    const gql = async (query: string, variables: Record<string, unknown>): Promise<any> =>
      await (
        await fetch(`${product.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        })
      ).json();
    const create = `mutation($i: CreateVideoUploadInput!) { createVideoUpload(input: $i) { video { id } userErrors { field message code } } }`;
    const input = (extraction: Record<string, unknown>) => ({
      i: { filename: "a.mp4", contentType: "video/mp4", sizeBytes: 1000, extraction },
    });

    const bad = await gql(create, input({ storyboard: { tileWidth: 100 }, animated: { fromSeconds: 2 } }));
    expect(bad.data.createVideoUpload.userErrors).toEqual([
      {
        field: ["input", "extraction", "storyboard", "tileWidth"],
        message: "must be at least 160",
        code: "VALIDATION",
      },
      {
        field: ["input", "extraction", "animated", "toSeconds"],
        message: "fromSeconds and toSeconds go together",
        code: "VALIDATION",
      },
    ]);
    expect(bad.data.createVideoUpload.video).toBeNull();

    const good = await gql(
      create,
      input({ mode: "BEST", count: 4, contactSheet: { columns: 3 }, animated: { gif: true } }),
    );
    expect(good.data.createVideoUpload.userErrors).toEqual([]);
    expect(good.data.createVideoUpload.video.id).toEqual(expect.any(String));
  });

  it("the generated JobOptions document reads a job's options back, defaults filled: previews only when no mode is named", async () => {
    const upload = await vproc(["upload", video, "--animated", "--wait", "--json"]);
    expect(upload.code).toBe(0);
    const jobId = JSON.parse(upload.stdout).job.id as string;
    const read = await (
      await fetch(`${product.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: print(JobOptionsDocument), variables: { id: jobId } }),
      })
    ).json();
    expect(read.data.job.options).toMatchObject({
      mode: "KEYFRAMES",
      includeFrames: false,
      storyboard: null,
      animated: { width: 320, clips: 5, clipSeconds: 1, fps: 10, maxBytes: 2097152, gif: false, fromSeconds: null },
    });
  });
});
