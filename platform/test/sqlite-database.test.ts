import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { migrate, openDatabase } from "../src/local/index.js";
import { PLATFORM_MIGRATIONS } from "../src/sqlite/index.js";

it("opens in WAL with a busy timeout and foreign keys, and migrates once per component", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vp-db-"));
  const file = join(dir, "nested", "video-processor.db");
  const a = openDatabase(file);
  const b = openDatabase(file);
  try {
    expect(a.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(a.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(a.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(a.pragma("synchronous", { simple: true })).toBe(1);
    const steps = [
      (db: typeof a) => db.exec("CREATE TABLE extra (x INTEGER)"),
      (db: typeof a) => db.exec("ALTER TABLE extra ADD COLUMN y TEXT"),
    ];
    expect(migrate(a, "test", steps.slice(0, 1))).toBe(1);
    expect(migrate(b, "test", steps)).toBe(2);
    expect(migrate(a, "test", steps)).toBe(2);
    expect(() => migrate(a, "test", steps.slice(0, 1))).toThrow(/newer than this code/);
    a.prepare("INSERT INTO extra (x, y) VALUES (1, 'z')").run();
    const versions = a.prepare("SELECT component, version FROM schema_version ORDER BY component").all();
    expect(versions).toEqual([
      { component: "platform", version: PLATFORM_MIGRATIONS.length },
      { component: "test", version: 2 },
    ]);
  } finally {
    a.close();
    b.close();
    await rm(dir, { recursive: true, force: true });
  }
});
