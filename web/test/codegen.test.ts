import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate, loadCodegenConfig } from "@graphql-codegen/cli";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const COMMITTED = "web/src/generated/";
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe("the web app's typed documents", () => {
  it("are what codegen.yml generates today (run `npm run codegen` and commit when this fails)", async () => {
    const { config } = await loadCodegenConfig({ configFilePath: path.join(root, "codegen.yml") });
    const target = config.generates[COMMITTED];
    expect(target, `codegen.yml must generate ${COMMITTED}`).toBeDefined();
    const out = await mkdtemp(path.join(tmpdir(), "vp-web-codegen-"));
    dirs.push(out);
    await generate({ ...config, cwd: root, silent: true, generates: { [`${out}/`]: target! } }, true);
    const fresh = (await readdir(out)).sort();
    expect((await readdir(path.join(root, COMMITTED))).sort()).toEqual(fresh);
    for (const name of fresh) {
      const [a, b] = await Promise.all([
        readFile(path.join(out, name), "utf8"),
        readFile(path.join(root, COMMITTED, name), "utf8"),
      ]);
      expect(b, `${COMMITTED}${name} is stale`).toBe(a);
    }
  });
});
