import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredentialsStore, credentialsPath, serverKey } from "../src/cli/credentials.js";
import { exitCodeFor, JobFailedError, NotLoggedInError } from "../src/cli/exit-codes.js";
import { UsageError } from "../src/cli/io.js";
import { formatBytes, renderBytesLine } from "../src/cli/progress.js";
import { safeEntryPath, unzipInto, UnsafeArchiveError } from "../src/cli/safe-unzip.js";
import { serverExtraction } from "../src/cli/server-options.js";
import { resolveServer } from "../src/cli/session.js";
import { GraphQLRequestError, HttpError, NetworkError, UserErrorsError } from "../src/sdk/index.js";

const run = promisify(execFile);
let dir: string;
beforeAll(async () => void (dir = await mkdtemp(path.join(tmpdir(), "vproc-pieces-"))));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("credentials", () => {
  it("live in the XDG config dir, one session per server, readable by the owner only", async () => {
    const file = credentialsPath({ XDG_CONFIG_HOME: dir });
    expect(file).toBe(path.join(dir, "vproc", "credentials.json"));
    expect(credentialsPath({ HOME: "/home/ada" })).toBe("/home/ada/.config/vproc/credentials.json");
    const store = createCredentialsStore(file);
    const s = { email: "a@b.c", accessToken: "A", refreshToken: "R", expiresAt: new Date().toISOString() };
    await store.set("http://localhost:4000/", s);
    await store.set("https://other.example", { ...s, email: "b@b.c" });
    expect(await store.get("http://localhost:4000/graphql")).toEqual(s);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(await store.delete("http://localhost:4000")).toBe(true);
    expect(await store.get("http://localhost:4000")).toBeUndefined();
    expect((await store.get("https://other.example"))?.email).toBe("b@b.c");
  });

  it("normalizes server URLs and refuses what is not http(s)", () => {
    expect(serverKey("http://LOCALHOST:4000/graphql/")).toBe("http://localhost:4000");
    expect(resolveServer(undefined, { VPROC_SERVER: "https://x.example/" })).toBe("https://x.example");
    expect(resolveServer(undefined, {})).toBe("http://localhost:4000");
    expect(() => resolveServer("ftp://x", {})).toThrow(UsageError);
    expect(() => resolveServer("nope", {})).toThrow(UsageError);
  });
});

describe("exit codes", () => {
  it("map failures to 1, usage to 2, server and network to 3", () => {
    expect(exitCodeFor(new UsageError("x"))).toBe(2);
    expect(exitCodeFor(new UserErrorsError("createVideoUpload", [{ code: "VALIDATION", message: "bad" }]))).toBe(2);
    expect(exitCodeFor(new HttpError(401, "INVALID_CREDENTIALS", "no"))).toBe(1);
    expect(exitCodeFor(new UserErrorsError("completeVideoUpload", [{ code: "UNREADABLE_VIDEO", message: "no" }]))).toBe(
      1,
    );
    expect(exitCodeFor(new JobFailedError("failed"))).toBe(1);
    expect(exitCodeFor(new NotLoggedInError("login"))).toBe(1);
    expect(exitCodeFor(new GraphQLRequestError([{ message: "x", extensions: { code: "UNAUTHENTICATED" } }]))).toBe(1);
    expect(exitCodeFor(new NetworkError("down"))).toBe(3);
    expect(exitCodeFor(new HttpError(503, "HTTP_503", "busy"))).toBe(3);
    expect(
      exitCodeFor(new GraphQLRequestError([{ message: "x", extensions: { code: "INTERNAL_SERVER_ERROR" } }])),
    ).toBe(3);
  });
});

describe("server options", () => {
  it("are the extract words, checked locally before any upload", () => {
    expect(serverExtraction({ count: "4", width: "80", format: "png" })).toEqual({
      mode: "COUNT",
      count: 4,
      width: 80,
      format: "PNG",
    });
    expect(() => serverExtraction({ every: "0" })).toThrow(/--every/);
    expect(() => serverExtraction({ format: "gif" })).toThrow(UsageError);
  });
});

describe("progress", () => {
  it("shows bytes, rate and ETA", () => {
    expect(formatBytes(1_500_000)).toBe("1.5 MB");
    expect(renderBytesLine("upload", 500_000, 1_000_000, 1)).toMatch(
      /\[#{12}-{12}\]\s+50%\s+500 kB \/ 1\.0 MB\s+500 kB\/s\s+ETA 1s$/,
    );
  });
});

describe("safe unzip", () => {
  it("refuses entries that would escape the target dir", () => {
    for (const bad of ["../evil", "a/../../evil", "/etc/passwd", "C:/x", "a\\..\\b"])
      expect(() => safeEntryPath(dir, bad)).toThrow(UnsafeArchiveError);
    expect(safeEntryPath(dir, "frames/f1.jpg")).toBe(path.join(dir, "frames/f1.jpg"));
  });

  it("unpacks a ZIP, replaces earlier files and refuses a planted symlink", async () => {
    const src = path.join(dir, "src");
    await mkdir(src);
    await writeFile(path.join(src, "frame_1.jpg"), "one");
    await writeFile(path.join(src, "manifest.json"), "{}");
    const zip = path.join(dir, "f.zip");
    await run("zip", ["-q", "-j", zip, path.join(src, "frame_1.jpg"), path.join(src, "manifest.json")]);
    const out = path.join(dir, "out");
    expect((await unzipInto(zip, out)).map((f) => path.basename(f)).sort()).toEqual(["frame_1.jpg", "manifest.json"]);
    await writeFile(path.join(out, "frame_1.jpg"), "old");
    await unzipInto(zip, out);
    expect(await readFile(path.join(out, "frame_1.jpg"), "utf8")).toBe("one");

    const trap = path.join(dir, "trap");
    await mkdir(trap);
    await symlink(path.join(dir, "outside.txt"), path.join(trap, "manifest.json"));
    await expect(unzipInto(zip, trap)).rejects.toThrow(UnsafeArchiveError);
    await expect(stat(path.join(dir, "outside.txt"))).rejects.toThrow();
  });
});
