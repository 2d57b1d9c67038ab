import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runVproc } from "./support/run-vproc.js";
import { removeDir } from "../../e2e/test/support/product.js";

interface Manifest {
  dir: string;
  inputs: [string, number, number][];
}

let dir: string;
let cache: string;
const vproc = (args: string[], cacheDir = cache) =>
  runVproc(args, { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, VPROC_CLI_CACHE: cacheDir } });
const manifest = async (): Promise<Manifest> =>
  JSON.parse(await readFile(path.join(cache, "current.json"), "utf8")) as Manifest;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vproc-bundle-"));
  cache = path.join(dir, "cache");
});
afterAll(() => removeDir(dir));

describe("the CLI's cached bundle (client/bin/cli-bundle.js)", () => {
  it("is built on first use from the CLI's sources and reused while none changed", async () => {
    const first = await vproc(["--help"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("vproc: turn videos into still images");
    const built = await manifest();
    const files = built.inputs.map(([f]) => f);
    expect(files).toContain("client/src/cli/main.ts");
    expect(files.some((f) => f.startsWith("engine/src/"))).toBe(true);

    const again = await vproc(["extract", "--help"]);
    expect(again.code).toBe(0);
    expect((await manifest()).dir).toBe(built.dir);
    expect((await readdir(cache)).filter((n) => n.startsWith("build-"))).toEqual([built.dir]);
  });

  it("is rebuilt when a file it was built from changed", async () => {
    const before = await manifest();
    const [file, mtime, size] = before.inputs[0] as [string, number, number];
    await writeFile(
      path.join(cache, "current.json"),
      JSON.stringify({ ...before, inputs: [[file, mtime - 1000, size], ...before.inputs.slice(1)] }),
    );
    const r = await vproc(["--help"]);
    expect(r.code).toBe(0);
    const after = await manifest();
    expect(after.dir).not.toBe(before.dir);
    expect(after.inputs[0]?.[1]).toBe(mtime);
  });

  it("falls back to compiling the sources when no cache can be written", async () => {
    const blocked = path.join(dir, "a-file");
    await writeFile(blocked, "not a folder");
    const r = await vproc(["--help"], path.join(blocked, "cache"));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("vproc: turn videos into still images");
  });
});
