import { describe, expect, it } from "vitest";
import {
  basenameWithoutExtension,
  blobKeySegment,
  normalizeVideoContentType,
  sanitizeFilename,
} from "../src/services/index.js";
import { checkBlobKey } from "@vp/platform";

describe("sanitizeFilename", () => {
  it("keeps the last path segment and drops control and reserved characters and leading dots", () => {
    expect(sanitizeFilename("C:\\Users\\me\\holiday.mp4")).toBe("holiday.mp4");
    expect(sanitizeFilename("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFilename("..hidden.mov")).toBe("hidden.mov");
    expect(sanitizeFilename("a\u0000b\nc<d>|e?.mp4")).toBe("a_b_c_d__e_.mp4");
    expect(sanitizeFilename("  spaced   out .webm ")).toBe("spaced out .webm");
    expect(sanitizeFilename("..")).toBeNull();
    expect(sanitizeFilename("/")).toBeNull();
  });

  it("shortens to 200 characters keeping the extension and whole code points", () => {
    const long = `${"é".repeat(150)}${"😀".repeat(100)}.mp4`;
    const out = sanitizeFilename(long)!;
    expect(Array.from(out)).toHaveLength(200);
    expect(out.endsWith(".mp4")).toBe(true);
    expect(out).not.toContain("\uFFFD");
  });
});

describe("blobKeySegment", () => {
  it("always yields a segment the blob stores accept", () => {
    for (const name of ["My clip?.mp4", "été 2024.mov", "😀😀.mp4", "-a.mp4", "+weird,name=1@x.mkv", "..."]) {
      const segment = blobKeySegment(sanitizeFilename(name) ?? name);
      expect(() => checkBlobKey(`owner/video/${segment}`)).not.toThrow();
    }
    expect(blobKeySegment("été 2024.mov")).toBe("ete_2024.mov");
  });
});

describe("content types and names", () => {
  it("accepts video/* and application/octet-stream only, normalized", () => {
    expect(normalizeVideoContentType("Video/MP4; codecs=avc1")).toBe("video/mp4");
    expect(normalizeVideoContentType("application/octet-stream")).toBe("application/octet-stream");
    expect(normalizeVideoContentType("video/")).toBeNull();
    expect(normalizeVideoContentType("image/png")).toBeNull();
    expect(normalizeVideoContentType("text/html")).toBeNull();
  });

  it("names archives after the video without its extension", () => {
    expect(basenameWithoutExtension("clip.final.mp4")).toBe("clip.final");
    expect(basenameWithoutExtension("noext")).toBe("noext");
    expect(basenameWithoutExtension(".mp4")).toBe(".mp4");
  });
});
