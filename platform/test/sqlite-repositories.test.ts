import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { repositoriesContract } from "../src/testing/contracts/index.js";
import { openDatabase, SqliteJobRepository, SqliteVideoRepository } from "../src/local/index.js";

repositoriesContract("SQLite", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vp-repos-"));
  const file = join(dir, "video-processor.db");
  const dbs = [openDatabase(file)];
  return {
    videos: new SqliteVideoRepository(dbs[0]!),
    jobs: new SqliteJobRepository(dbs[0]!),
    async openAnother() {
      const db = openDatabase(file);
      dbs.push(db);
      return {
        videos: new SqliteVideoRepository(db),
        jobs: new SqliteJobRepository(db),
      };
    },
    async cleanup() {
      for (const db of dbs) db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

it("pages ties in createdAt by id without duplicates (frozen clock)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vp-repos-"));
  const db = openDatabase(join(dir, "video-processor.db"));
  try {
    const videos = new SqliteVideoRepository(db, {
      clock: () => 1_700_000_000_123,
    });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = `v-${String(i).padStart(2, "0")}`;
      ids.push(id);
      await videos.create({
        id,
        ownerId: "o",
        filename: "f",
        contentType: "video/mp4",
        sizeBytes: 1,
        blobKey: id,
        extraction: {
          mode: "INTERVAL",
          intervalSeconds: 1,
          format: "JPEG",
          quality: 85,
          fit: "CONTAIN",
          allowUpscale: false,
        },
      });
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<SqliteVideoRepository["listForOwner"]>> = await videos.listForOwner("o", {
        first: 5,
        after,
      });
      seen.push(...page.items.map((v) => v.id));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    expect((await videos.findById("v-00"))?.createdAt.getTime()).toBe(1_700_000_000_123);
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
});
