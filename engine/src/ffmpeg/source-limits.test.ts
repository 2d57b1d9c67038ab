import { describe, expect, it } from "vitest";
import { buildHeaderProbeArgs, checkSourcePixels, largestDeclaredPicture } from "./probe-start.js";
import { ExtractionError } from "../types.js";

const MAX = 8192 * 4320;

describe("source pixels, refused from the headers", () => {
  it("refuses a picture over the limit as SOURCE_TOO_LARGE, not retryable, with the sizes in words", () => {
    let caught: unknown;
    try {
      checkSourcePixels({ width: 16000, height: 16000 }, MAX);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ExtractionError);
    expect(caught).toMatchObject({
      code: "SOURCE_TOO_LARGE",
      retryable: false,
      message:
        "The video is too large: 16000x16000 (256.0 MP) is more than the 35389440 pixels (35.4 MP) per frame this service accepts.",
    });
  });
  it("accepts the limit itself, and anything when no limit is set", () => {
    expect(() => checkSourcePixels({ width: 8192, height: 4320 }, MAX)).not.toThrow();
    expect(() => checkSourcePixels({ width: 16000, height: 16000 }, undefined)).not.toThrow();
  });
  it("reads the largest declared picture, cover art aside, from the header probe's JSON", () => {
    expect(
      largestDeclaredPicture({
        streams: [
          { width: 320, height: 240 },
          { width: 16000, height: 16000, disposition: { attached_pic: 0 } },
          { width: 20000, height: 20000, disposition: { attached_pic: 1 } },
        ],
      }),
    ).toEqual({ width: 16000, height: 16000 });
    expect(largestDeclaredPicture({ streams: [{ width: 0, height: 0 }] })).toBe(null);
    expect(largestDeclaredPicture("not json")).toBe(null);
  });
  it("the header probe decodes no frame and opens only the one file", () => {
    const args = buildHeaderProbeArgs("/data/-v.mp4");
    expect(args).toEqual([
      ...["-v", "error", "-hide_banner", "-protocol_whitelist", "file", "-skip_frame", "all"],
      ...["-select_streams", "v", "-print_format", "json"],
      ...["-show_entries", "stream=width,height:stream_disposition=attached_pic", "file:/data/-v.mp4"],
    ]);
  });
});
