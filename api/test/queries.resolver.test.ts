import { toGlobalId } from "@vp/domain";
import type { ExecutionResult } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectionFrom } from "../src/graphql/pagination.js";
import { createTestEnv, makeTinyVideo, probeAsWorker, type TestEnv } from "./helpers/env.js";
import { createUpload, rawId, uploadVideo } from "./helpers/flows.js";

let env: TestEnv;
let tiny: Buffer;
let erinVideo: string;
let erinJob: string;

beforeAll(async () => {
  env = await createTestEnv();
  tiny = await makeTinyVideo(env.dir);
  const { completed, videoId } = await uploadVideo(env, "erin", tiny);
  erinVideo = videoId;
  await probeAsWorker(env.platform, rawId(videoId));
  erinJob = completed.job?.id ?? "";
  for (let i = 0; i < 6; i++)
    await createUpload(env, "erin", {
      filename: `v${i}.mp4`,
      contentType: "video/mp4",
      sizeBytes: 100 + i,
    });
});
afterAll(() => env.close());

interface Conn {
  edges: Array<{ cursor: string; node: { id: string; filename: string } }>;
  nodes: Array<{ id: string }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

describe("queries", () => {
  it("requires a viewer for every root field (UNAUTHENTICATED with a reason)", async () => {
    for (const q of [
      `{ viewer { id } }`,
      `{ videos { nodes { id } } }`,
      `query($id: ID!) { video(id: $id) { id } }`,
      `query($id: ID!) { job(id: $id) { id } }`,
      `query($id: ID!) { node(id: $id) { id } }`,
    ]) {
      const res = await env.exec(null, q, { id: erinVideo });
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: "UNAUTHENTICATED",
        reason: "MISSING_TOKEN",
      });
    }
  });

  it("viewer has a User global id and its own connections", async () => {
    const res = await env.exec<{
      viewer: {
        id: string;
        email: string;
        videos: Conn;
        jobs: { nodes: Array<{ id: string }> };
      };
    }>("erin", `{ viewer { id email videos(first: 100) { nodes { id } } jobs { nodes { id } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.viewer.id).toBe(toGlobalId("User", "erin"));
    expect(res.data?.viewer.videos.nodes).toHaveLength(7);
    expect(res.data?.viewer.jobs.nodes.map((n) => n.id)).toEqual([erinJob]);
  });

  it("paginates videos newest first with per-edge cursors, filters by status, validates first", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res: ExecutionResult<{ videos: Conn }> = await env.exec<{
        videos: Conn;
      }>(
        "erin",
        `query($after: String) { videos(first: 3, after: $after) { edges { cursor node { id filename } } nodes { id } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      const conn: Conn = res.data!.videos;
      seen.push(...conn.nodes.map((n) => n.id));
      expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)?.cursor ?? null);
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen.at(-1)).toBe(erinVideo);

    // Continuing from a middle edge's cursor resumes right after it.
    const first = await env.exec<{ videos: Conn }>("erin", `{ videos(first: 4) { edges { cursor node { id } } } }`);
    const mid = first.data!.videos.edges[1]!;
    const next = await env.exec<{ videos: Conn }>(
      "erin",
      `query($a: String) { videos(first: 2, after: $a) { nodes { id } } }`,
      { a: mid.cursor },
    );
    expect(next.data!.videos.nodes.map((n) => n.id)).toEqual(
      first.data!.videos.edges.slice(2, 4).map((e) => e.node.id),
    );

    const ready = await env.exec<{ videos: Conn }>("erin", `{ videos(status: READY) { nodes { id } } }`);
    expect(ready.data!.videos.nodes.map((n) => n.id)).toEqual([erinVideo]);

    for (const first of [0, 101]) {
      const bad = await env.exec("erin", `query($f: Int!) { videos(first: $f) { nodes { id } } }`, { f: first });
      expect(bad.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
      expect(bad.errors?.[0]?.message).toMatch(/first.*1 and 100/);
    }
    const badCursor = await env.exec("erin", `{ videos(after: "garbage!") { nodes { id } } }`);
    expect(badCursor.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
  });

  it("isolates owners: another user's ids answer null everywhere", async () => {
    const q = `query($v: ID!, $j: ID!) { video(id: $v) { id } job(id: $j) { id } nv: node(id: $v) { id } nj: node(id: $j) { id } }`;
    const mine = await env.exec<Record<string, { id: string } | null>>("erin", q, { v: erinVideo, j: erinJob });
    expect(mine.data).toEqual({
      video: { id: erinVideo },
      job: { id: erinJob },
      nv: { id: erinVideo },
      nj: { id: erinJob },
    });
    const theirs = await env.exec("frank", q, { v: erinVideo, j: erinJob });
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data).toEqual({ video: null, job: null, nv: null, nj: null });
    const list = await env.exec<{ videos: Conn }>(
      "frank",
      `{ videos { nodes { id } } viewer { jobs { nodes { id } } } }`,
    );
    expect(list.data?.videos.nodes).toEqual([]);
  });

  it("answers malformed or mistyped ids as null (not found), never as an error", async () => {
    const res = await env.exec(
      "erin",
      `query($a: ID!, $b: ID!) { video(id: $a) { id } job(id: $b) { id } node(id: $a) { id } }`,
      {
        a: "!!!not base64!!!",
        b: erinVideo,
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ video: null, job: null, node: null });
  });

  it("node(id) resolves each type with fragments, the viewer included", async () => {
    const res = await env.exec<{
      v: { __typename: string; filename: string };
      j: { __typename: string; status: string; video: { id: string } };
      u: { __typename: string; email: string };
      other: null;
    }>(
      "erin",
      `query($v: ID!, $j: ID!, $u: ID!, $o: ID!) {
        v: node(id: $v) { __typename ... on Video { filename } }
        j: node(id: $j) { __typename ... on ExtractionJob { status video { id } } }
        u: node(id: $u) { __typename ... on User { email } }
        other: node(id: $o) { id }
      }`,
      {
        v: erinVideo,
        j: erinJob,
        u: toGlobalId("User", "erin"),
        o: toGlobalId("User", "frank"),
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.v).toEqual({ __typename: "Video", filename: "clip.mp4" });
    expect(res.data?.j).toEqual({
      __typename: "ExtractionJob",
      status: "QUEUED",
      video: { id: erinVideo },
    });
    expect(res.data?.u).toEqual({
      __typename: "User",
      email: "erin@example.com",
    });
    expect(res.data?.other).toBeNull();
  });

  it("Video.jobs, latestJob and ExtractionJob fields resolve; a result mints a signed download URL", async () => {
    const id = rawId(erinJob);
    await env.platform.jobs.update(
      id,
      { status: ["QUEUED"] },
      { status: "RUNNING", startedAt: new Date(), attempts: 1 },
    );
    await env.platform.jobs.update(
      id,
      { status: ["RUNNING"] },
      {
        status: "SUCCEEDED",
        finishedAt: new Date(),
        progress: 1,
        framesExtracted: 2,
        result: {
          frameCount: 2,
          archiveKey: `erin/${id}/frames.zip`,
          archiveSizeBytes: 3_000_000_000,
          strategy: "seek-parallel",
        },
      },
    );
    const res = await env.exec<{
      video: {
        jobs: {
          nodes: Array<{
            id: string;
            status: string;
            result: {
              frameCount: number;
              archiveSizeBytes: number;
              strategy: string;
              downloadUrl: string;
              downloadUrlExpiresAt: string;
            };
          }>;
        };
        latestJob: { id: string };
      };
    }>(
      "erin",
      `query($v: ID!) { video(id: $v) { latestJob { id } jobs(first: 5) { nodes { id status result { frameCount archiveSizeBytes strategy downloadUrl downloadUrlExpiresAt } } } } }`,
      { v: erinVideo },
    );
    expect(res.errors).toBeUndefined();
    const job = res.data!.video.jobs.nodes[0]!;
    expect(res.data!.video.latestJob.id).toBe(erinJob);
    expect(job.result).toMatchObject({
      frameCount: 2,
      archiveSizeBytes: 3_000_000_000,
      strategy: "seek-parallel",
    });
    expect(job.result.downloadUrl).toMatch(/^http:\/\/localhost:1\/blobs\//);
    expect(job.result.downloadUrl).toContain("clip-frames.zip");
    const ttl = Date.parse(job.result.downloadUrlExpiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(800_000);
    expect(ttl).toBeLessThanOrEqual(900_000);
  });
});

describe("connectionFrom", () => {
  /** Repository-like pages of at most 2 items, keyed by index, to exercise joining and skipping across pages. */
  const items = Array.from({ length: 7 }, (_, i) => `item${i}`);
  const smallPages = async (req: { first: number; after?: string | null }) => {
    const start = req.after ? Number(req.after) : 0;
    const slice = items.slice(start, start + Math.min(2, req.first));
    return {
      items: slice,
      hasNextPage: start + slice.length < items.length,
      endCursor: slice.length ? String(start + slice.length) : null,
    };
  };

  it("fills a page from several smaller repository pages and resumes from any edge", async () => {
    const page = await connectionFrom({ first: 5 }, smallPages);
    expect(page.nodes).toEqual(items.slice(0, 5));
    expect(page.pageInfo.hasNextPage).toBe(true);
    for (let k = 0; k < 5; k++) {
      const next = await connectionFrom({ first: 3, after: page.edges[k]!.cursor }, smallPages);
      expect(next.nodes).toEqual(items.slice(k + 1, k + 4));
    }
    const rest = await connectionFrom({ first: 10, after: page.pageInfo.endCursor }, smallPages);
    expect(rest.nodes).toEqual(items.slice(5));
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });
});
