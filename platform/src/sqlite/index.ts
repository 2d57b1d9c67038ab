export { openDatabase, type Database } from "./open-database.js";
export { migrate, type Migration } from "./migrate.js";
export { PLATFORM_MIGRATIONS } from "./migrations.js";
