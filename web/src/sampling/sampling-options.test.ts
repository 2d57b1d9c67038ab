import { describe, expect, it } from "vitest";
import { DEFAULT_SAMPLING, errorsFromServer, toExtractionInput } from "./sampling-options.js";

describe("sampling form to ExtractionOptionsInput", () => {
  it("defaults to one JPEG frame every second", () => {
    expect(toExtractionInput(DEFAULT_SAMPLING)).toEqual({
      input: { format: "JPEG", mode: "INTERVAL", intervalSeconds: 1, quality: 85 },
      errors: {},
    });
  });

  it("reads times in seconds or percent, and refuses a mix", () => {
    const at = (value: string) => toExtractionInput({ ...DEFAULT_SAMPLING, choice: "at", at: value });
    expect(at("1, 2.5").input).toMatchObject({ mode: "TIMESTAMPS", timestamps: [1, 2.5], timestampUnit: "SECONDS" });
    expect(at("10%, 50%").input).toMatchObject({ timestamps: [10, 50], timestampUnit: "PERCENT" });
    expect(at("1, 50%").errors.at).toBe("Use either seconds or percentages, not both.");
    expect(at("soon").errors.at).toBe("Times must be numbers, like 1.5 or 50%.");
  });

  it("sends count, scenes, keyframes, size and range; text that is no number stays here", () => {
    expect(
      toExtractionInput({ ...DEFAULT_SAMPLING, choice: "count", count: "4", width: "160", end: "2" }).input,
    ).toEqual({
      format: "JPEG",
      mode: "COUNT",
      count: 4,
      quality: 85,
      width: 160,
      endSeconds: 2,
    });
    expect(toExtractionInput({ ...DEFAULT_SAMPLING, choice: "keyframes" }).input.mode).toBe("KEYFRAMES");
    expect(toExtractionInput({ ...DEFAULT_SAMPLING, choice: "scenes", scenes: "0.4" }).input).toMatchObject({
      mode: "SCENES",
      sceneThreshold: 0.4,
    });
    expect(toExtractionInput({ ...DEFAULT_SAMPLING, quality: "high" }).errors).toEqual({
      quality: "Quality must be a number.",
    });
  });

  it("places the server's userErrors beside the fields their path names", () => {
    expect(
      errorsFromServer([
        { field: ["input", "extraction", "intervalSeconds"], message: "must be greater than 0" },
        { field: ["input", "extraction", "quality"], message: "must be 1..100" },
        { field: null, message: "Too many live jobs." },
      ]),
    ).toEqual({ every: "must be greater than 0", quality: "must be 1..100", form: "Too many live jobs." });
  });

  it("sends BEST with its count, and the previews with only the sub-fields filled in", () => {
    expect(toExtractionInput({ ...DEFAULT_SAMPLING, choice: "best", best: "6" })).toEqual({
      input: { format: "JPEG", mode: "BEST", count: 6, quality: 85 },
      errors: {},
    });
    expect(toExtractionInput({ ...DEFAULT_SAMPLING, choice: "best", best: "" }).errors).toEqual({
      best: "Enter how many thumbnails.",
    });
    const all = toExtractionInput({
      ...DEFAULT_SAMPLING,
      storyboard: true,
      storyboardWidth: "240",
      contactSheet: true,
      animated: true,
      gif: true,
      animatedRange: " 12 - 18.5 ",
    });
    expect(all).toEqual({
      input: {
        format: "JPEG",
        mode: "INTERVAL",
        intervalSeconds: 1,
        quality: 85,
        storyboard: { tileWidth: 240 },
        contactSheet: {},
        animated: { gif: true, fromSeconds: 12, toSeconds: 18.5 },
      },
      errors: {},
    });
    // A sub-field of a preview left unticked is not sent.
    expect(toExtractionInput({ ...DEFAULT_SAMPLING, gif: true, storyboardWidth: "240" }).input).toEqual({
      format: "JPEG",
      mode: "INTERVAL",
      intervalSeconds: 1,
      quality: 85,
    });
    expect(toExtractionInput({ ...DEFAULT_SAMPLING, animated: true, animatedRange: "the end" }).errors).toEqual({
      animatedRange: "Enter FROM-TO in seconds, like 12-18.",
    });
    expect(toExtractionInput({ ...DEFAULT_SAMPLING, contactSheet: true, contactSheetCount: "lots" }).errors).toEqual({
      contactSheetCount: "Frames on the sheet must be a number.",
    });
  });

  it("previews only: no mode and includeFrames false, as --no-frames", () => {
    expect(
      toExtractionInput({
        ...DEFAULT_SAMPLING,
        choice: "none",
        storyboard: true,
        storyboardInterval: "2",
        contactSheet: true,
        contactSheetCount: "9",
      }),
    ).toEqual({
      input: {
        format: "JPEG",
        includeFrames: false,
        quality: 85,
        storyboard: { intervalSeconds: 2 },
        contactSheet: { count: 9 },
      },
      errors: {},
    });
    // With no preview ticked it is still sent: the server says what is missing (includeFrames).
    expect(toExtractionInput({ ...DEFAULT_SAMPLING, choice: "none" }).input).toEqual({
      format: "JPEG",
      includeFrames: false,
      quality: 85,
    });
  });

  it("places preview userErrors by their nested path, and BEST's count on its own field", () => {
    expect(
      errorsFromServer([
        { field: ["input", "extraction", "storyboard", "tileWidth"], message: "must be at least 160" },
        { field: ["input", "extraction", "storyboard", "columns"], message: "must be at most 20" },
        { field: ["input", "extraction", "contactSheet", "count"], message: "must be at least 2" },
        { field: ["input", "extraction", "animated", "toSeconds"], message: "the clip may last at most 30 s" },
        { field: ["input", "extraction", "includeFrames"], message: "is false but no storyboard" },
      ]),
    ).toEqual({
      storyboardWidth: "must be at least 160",
      storyboard: "must be at most 20",
      contactSheetCount: "must be at least 2",
      animatedRange: "the clip may last at most 30 s",
      choice: "is false but no storyboard",
    });
    const count = [{ field: ["input", "extraction", "count"], message: "must be at most 24 when mode is BEST" }];
    expect(errorsFromServer(count, "best")).toEqual({ best: "must be at most 24 when mode is BEST" });
    expect(errorsFromServer(count, "count")).toEqual({ count: "must be at most 24 when mode is BEST" });
  });
});
