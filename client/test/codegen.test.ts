import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate, loadCodegenConfig } from "@graphql-codegen/cli";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const COMMITTED = "client/src/generated/";
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe("generated typed client", () => {
  it("is what codegen.yml generates today (run `npm run codegen` and commit when this fails)", async () => {
    // GIVEN the committed config, pointed at a temp dir
    const { config } = await loadCodegenConfig({ configFilePath: path.join(root, "codegen.yml") });
    const target = config.generates[COMMITTED];
    expect(target, `codegen.yml must generate ${COMMITTED}`).toBeDefined();
    const out = await mkdtemp(path.join(tmpdir(), "vproc-codegen-"));
    dirs.push(out);

    // WHEN it runs
    await generate({ ...config, cwd: root, silent: true, generates: { [`${out}/`]: target! } }, true);

    // THEN every file matches the committed one, and no file is missing or extra
    const fresh = (await readdir(out)).sort();
    const committed = (await readdir(path.join(root, COMMITTED))).sort();
    expect(committed).toEqual(fresh);
    for (const name of fresh) {
      const [a, b] = await Promise.all([
        readFile(path.join(out, name), "utf8"),
        readFile(path.join(root, COMMITTED, name), "utf8"),
      ]);
      expect(b, `${COMMITTED}${name} is stale`).toBe(a);
    }
  });

  it("covers every query, mutation and subscription of the schema", async () => {
    const schema = await readFile(path.join(root, "schema/schema.graphql"), "utf8");
    const generated = await readFile(path.join(root, COMMITTED, "graphql.ts"), "utf8");
    const fieldsOf = (type: string): string[] => {
      const body = new RegExp(`type ${type} \\{([\\s\\S]*?)\\n\\}`).exec(schema)?.[1] ?? "";
      return [...body.replace(/"""[\s\S]*?"""/g, "").matchAll(/^\s{2}(\w+)[(:]/gm)].map((m) => m[1]!);
    };
    const roots = [...fieldsOf("Query"), ...fieldsOf("Mutation"), ...fieldsOf("Subscription")];
    expect(roots.length).toBeGreaterThanOrEqual(13);
    // Each root field is selected by at least one generated document (they embed the operation's AST as JSON).
    const selected = new Set(
      [...generated.matchAll(/"kind":"Field","name":\{"kind":"Name","value":"(\w+)"\}/g)].map((m) => m[1]),
    );
    expect(roots.filter((f) => !selected.has(f))).toEqual([]);
  });
});
