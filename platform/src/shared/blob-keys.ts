import { DomainError } from "@vp/domain";

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._\-=+@,]*$/;
const MAX_KEY_LENGTH = 1024;

/**
 * Keys become file paths, so they are checked strictly: `/`-separated segments of a small
 * charset, none empty, none starting with a dot (which also rules out `.` and `..`, and keeps
 * the store's own `.tmp` and `.meta` folders out of reach).
 */
export function checkKey(key: string): string[] {
  const bad = (why: string) =>
    new DomainError("VALIDATION", `invalid blob key ${JSON.stringify(key.slice(0, 100))}: ${why}`, ["key"]);
  if (typeof key !== "string" || key.length === 0) throw bad("empty");
  if (key.length > MAX_KEY_LENGTH) throw bad(`longer than ${MAX_KEY_LENGTH} characters`);
  if (key.includes("\\")) throw bad("backslash");
  if (key.startsWith("/")) throw bad("absolute");
  const segments = key.split("/");
  for (const s of segments) {
    if (s === "..") throw bad("'..' segment");
    if (!SEGMENT.test(s)) throw bad("segments use letters, digits and - _ . = + @ , and do not start with a dot");
  }
  return segments;
}

export const encodeKeyPath = (key: string): string => key.split("/").map(encodeURIComponent).join("/");
