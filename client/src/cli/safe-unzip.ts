import { createWriteStream } from "node:fs";
import { lstat, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";

/** Thrown for an archive entry that would land outside the target dir (or is otherwise unsafe). */
export class UnsafeArchiveError extends Error {
  override readonly name = "UnsafeArchiveError";
}

/**
 * Where an entry may be written inside `dir`, or an error: no absolute paths, no `..`, no drive
 * letters or backslashes, and the resolved path must stay under `dir`.
 */
export function safeEntryPath(dir: string, entryName: string): string {
  if (
    entryName.includes("\\") ||
    entryName.includes("\0") ||
    path.isAbsolute(entryName) ||
    /^[a-zA-Z]:/.test(entryName)
  ) {
    throw new UnsafeArchiveError(`refusing archive entry "${entryName}": not a plain relative path`);
  }
  const root = path.resolve(dir);
  const target = path.resolve(root, entryName);
  if (entryName.split("/").includes("..") || (target !== root && !target.startsWith(root + path.sep))) {
    throw new UnsafeArchiveError(`refusing archive entry "${entryName}": it points outside ${dir}`);
  }
  return target;
}

/** A regular file from an earlier download is replaced; a link or a directory in the way is refused. */
async function replaceableTarget(target: string): Promise<void> {
  const existing = await lstat(target).catch(() => null);
  if (existing === null) return;
  if (!existing.isFile())
    throw new UnsafeArchiveError(`refusing to write ${target}: something other than a file is there`);
  await rm(target);
}

/** Unpacks a ZIP into `dir` (created if needed); answers the files written, in archive order. Symlinks are never created. */
export async function unzipInto(zipFile: string, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    // yauzl's own checks (strictFileNames, validateEntrySizes) stay on; ours run on top.
    yauzl.open(zipFile, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const written: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("error", reject);
      zip.on("end", resolve);
      zip.on("entry", (entry: yauzl.Entry) => {
        void (async () => {
          const target = safeEntryPath(dir, entry.fileName);
          if (entry.fileName.endsWith("/")) {
            await mkdir(target, { recursive: true });
          } else {
            await mkdir(path.dirname(target), { recursive: true });
            const stream = await new Promise<NodeJS.ReadableStream>((res, rej) =>
              zip.openReadStream(entry, (e, s) => (e ? rej(e) : res(s))),
            );
            await replaceableTarget(target);
            // "wx": never follow a link planted at the target between the check and the write.
            await pipeline(stream, createWriteStream(target, { flags: "wx", mode: 0o644 }));
            written.push(target);
          }
          zip.readEntry();
        })().catch(reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return written;
}
