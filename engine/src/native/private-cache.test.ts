import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { privateCacheDir } from "./private-cache.js";

const root = await mkdtemp(path.join(tmpdir(), "vp-private-cache-"));
afterAll(() => rm(root, { recursive: true, force: true }));

describe("the engine's private cache", () => {
  it("is created for this user alone", async () => {
    const dir = path.join(root, "fresh");
    expect(await privateCacheDir({ VP_NATIVE_CACHE: dir })).toBe(dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it("is not used when others can write to it, or when it is not a folder", async () => {
    const shared = path.join(root, "shared");
    await mkdir(shared);
    await chmod(shared, 0o777);
    expect(await privateCacheDir({ VP_NATIVE_CACHE: shared })).toBeNull();
    const file = path.join(root, "file");
    await writeFile(file, "");
    expect(await privateCacheDir({ VP_NATIVE_CACHE: file })).toBeNull();
  });

  it("defaults to a folder of this user's under the temp dir", async () => {
    const dir = await privateCacheDir({});
    expect(dir).toBe(path.join(tmpdir(), `vproc-native-${process.getuid?.() ?? "user"}`));
  });
});
