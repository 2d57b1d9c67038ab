import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveWebApp, uploadOriginsOf, WEB_APP_CSP, webAppCsp } from "../src/http/web-app.js";

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vp-web-app-"));
  await mkdir(join(dir, "assets"));
  await writeFile(join(dir, "index.html"), "<!doctype html><title>app</title>");
  await writeFile(join(dir, "assets", "index-abc123.js"), "console.log(1)");
  const app = express();
  app.use(serveWebApp(dir));
  app.use((_req, res) => res.status(404).json({ error: { code: "NOT_FOUND" } }));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const html = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

describe("the web app at /", () => {
  it("answers every client route a browser navigates to with index.html, uncached, under a strict CSP", async () => {
    for (const path of ["/", "/login", "/videos/VmlkZW86MQ"]) {
      const res = await fetch(`${base}${path}`, { headers: html });
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain("<title>app</title>");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("content-security-policy")).toBe(WEB_APP_CSP);
    }
    expect(WEB_APP_CSP).toContain("default-src 'none'");
    expect(WEB_APP_CSP).toContain("connect-src 'self'");
    expect(WEB_APP_CSP).not.toMatch(/unsafe-(inline|eval)|https?:/);
  });

  it("serves hashed assets as immutable for a year; a missing one is a 404, not the page", async () => {
    const res = await fetch(`${base}/assets/index-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    const missing = await fetch(`${base}/assets/gone-000.js`, { headers: html });
    expect(missing.status).toBe(404);
  });

  it("leaves API clients and the API's own paths alone", async () => {
    expect((await fetch(`${base}/videos/1`, { headers: { accept: "application/json" } })).status).toBe(404);
    expect((await fetch(`${base}/videos/1`)).status).toBe(404); // */* : an API client, JSON first
    for (const path of ["/graphql", "/api/v1/accounts/login", "/blobs/x", "/frames/x", "/healthz"])
      expect((await fetch(`${base}${path}`, { headers: html })).status, path).toBe(404);
    expect((await fetch(`${base}/`, { method: "POST", headers: html })).status).toBe(404);
  });
});

describe("upload origins in the CSP", () => {
  it("are none on one machine, the videos bucket on AWS (or the endpoint override)", () => {
    const aws = {
      VP_BACKEND: "aws",
      AWS_REGION: "eu-west-1",
      VP_S3_VIDEOS_BUCKET: "vp-videos",
      VP_S3_FORCE_PATH_STYLE: false,
    };
    expect(uploadOriginsOf({ VP_BACKEND: "local", VP_S3_FORCE_PATH_STYLE: false }, {})).toEqual([]);
    expect(uploadOriginsOf(aws, {})).toEqual(["https://vp-videos.s3.eu-west-1.amazonaws.com"]);
    expect(
      uploadOriginsOf({ ...aws, VP_S3_FORCE_PATH_STYLE: true }, { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:4569/" }),
    ).toEqual(["http://127.0.0.1:4569"]);
    expect(webAppCsp(["https://vp-videos.s3.eu-west-1.amazonaws.com"])).toContain(
      "connect-src 'self' https://vp-videos.s3.eu-west-1.amazonaws.com;",
    );
  });
});
