import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildInto, type BuiltBundles } from "./support/built.js";
import { exitWithin, killAll } from "./support/processes.js";
import { removeDir } from "./support/product.js";

/**
 * `npm run build` as the images ship it (Dockerfile: `npm run build -- --node-modules`, then the
 * bundles and their node_modules copied into a slim image): built into a folder outside the
 * repository and started with plain `node`, so no TypeScript, tsx or repository node_modules can help.
 */
describe("the built bundles", () => {
  let built: BuiltBundles;
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    [built, dataDir] = await Promise.all([
      buildInto({ selfContained: true }),
      mkdtemp(join(tmpdir(), "vp-built-data-")),
    ]);
  });

  afterAll(async () => {
    await killAll(children);
    await built?.remove();
    if (dataDir) await removeDir(dataDir);
  });

  it("are one JavaScript file per role with their assets and the native external: no TypeScript", async () => {
    const files = (await readdir(built.dir, { recursive: true })).map((f) => f.split("\\").join("/"));
    for (const role of ["api", "worker", "standalone"]) {
      expect(files).toContain(`${role}.js`);
      expect(files).toContain(`${role}.js.map`);
    }
    expect(files).toContain("graphiql/index.html");
    expect(files).toContain("schema.graphql");
    // The frame picker's source, compiled on first use beside the bundle.
    expect(files).toContain("native/pick-frames.c");
    expect(files).toContain("node_modules/better-sqlite3/build/Release/better_sqlite3.node");
    expect(files.filter((f) => /\.[cm]?tsx?$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
    // Everything else is inside the bundles: node_modules holds better-sqlite3 and what it loads.
    const modules = (await readdir(join(built.dir, "node_modules"))).sort();
    expect(modules).toEqual(["better-sqlite3", "bindings", "file-uri-to-path"]);
  });

  it("start: standalone.js serves health, the GraphiQL page and GraphQL, and exits 0 on SIGTERM", async () => {
    const { NODE_ENV: _testEnv, NODE_OPTIONS: _options, ...inherited } = process.env;
    const child = spawn(process.execPath, [join(built.dir, "standalone.js")], {
      cwd: built.dir,
      // As the images set it (PATH is inherited: the worker role in this process needs ffmpeg).
      env: {
        ...inherited,
        NODE_ENV: "production",
        NODE_OPTIONS: "--enable-source-maps",
        PORT: "0",
        HOST: "127.0.0.1",
        VP_DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let output = "";
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString("utf8")).slice(-20_000);
        const match = /is ready on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!);
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.once("exit", (code, signal) => reject(new Error(`exited (${code ?? signal}) before ready:\n${output}`)));
    });

    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const page = await fetch(`${url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain("GraphiQL");
    // Its script comes from dist/graphiql/ beside the bundle.
    const script = /src="(\/graphiql\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    const asset = await fetch(`${url}${script}`);
    expect(asset.status).toBe(200);
    await asset.arrayBuffer();

    const answer = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { __typename: "Query" } });

    child.kill("SIGTERM");
    expect(await exitWithin(child, 15_000)).toBe(0);
    expect(output).not.toMatch(/"level":(50|60)/); // no error or fatal log line
  });
});
