import type Database from "better-sqlite3";

/** One schema step. Steps are applied in array order and never edited once shipped: add a new one. */
export type Migration = (db: Database.Database) => void;

/**
 * Applies the migrations of `component` that this file has not seen yet. Each component
 * (platform, accounts, ...) keeps its own version, so modules can evolve their tables independently.
 * Runs under BEGIN IMMEDIATE: when two processes start at once, the second waits and then finds
 * the work done.
 */
export function migrate(db: Database.Database, component: string, migrations: readonly Migration[]): number {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
  const apply = db.transaction(() => {
    const row = db.prepare("SELECT version FROM schema_version WHERE component = ?").get(component) as
      { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > migrations.length) {
      throw new Error(
        `database schema of "${component}" is at version ${current}, newer than this code (${migrations.length})`,
      );
    }
    for (let v = current; v < migrations.length; v++) migrations[v]!(db);
    db.prepare(
      "INSERT INTO schema_version (component, version) VALUES (?, ?) ON CONFLICT(component) DO UPDATE SET version = excluded.version",
    ).run(component, migrations.length);
    return migrations.length;
  });
  return apply.immediate();
}
