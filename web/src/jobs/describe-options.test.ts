import { describe, expect, it } from "vitest";
import type { WebJobFragment } from "../generated/graphql.js";
import { describeOptions } from "./describe-options.js";

const BASE: WebJobFragment["options"] = {
  mode: "INTERVAL",
  intervalSeconds: 1,
  count: null,
  timestamps: null,
  timestampUnit: "SECONDS",
  sceneThreshold: null,
  format: "JPEG",
  quality: 85,
  width: null,
  height: null,
  startSeconds: null,
  endSeconds: null,
  includeFrames: true,
  storyboard: null,
  contactSheet: null,
  animated: null,
};

describe("describeOptions", () => {
  it("says how frames were sampled and encoded", () => {
    expect(describeOptions(BASE)).toBe("a frame every 1 s; JPEG quality 85");
    expect(describeOptions({ ...BASE, mode: "COUNT", intervalSeconds: null, count: 4, width: 320 })).toBe(
      "4 frames spread evenly; JPEG quality 85, 320×auto",
    );
    expect(describeOptions({ ...BASE, mode: "BEST", intervalSeconds: null, count: 6 })).toBe(
      "6 best thumbnails; JPEG quality 85",
    );
    expect(describeOptions({ ...BASE, mode: "TIMESTAMPS", timestamps: [10, 50], timestampUnit: "PERCENT" })).toBe(
      "frames at 10%, 50%; JPEG quality 85",
    );
  });

  it("names the previews, with frames or alone", () => {
    const previews = {
      storyboard: { intervalSeconds: null, tileWidth: 160 },
      contactSheet: { count: 16 },
      animated: { gif: true, fromSeconds: 12, toSeconds: 18 },
    };
    expect(describeOptions({ ...BASE, mode: "KEYFRAMES", ...previews })).toBe(
      "keyframes; JPEG quality 85; with storyboard, contact sheet (16 frames), animated preview (WebP + GIF, 12-18 s)",
    );
    expect(
      describeOptions({
        ...BASE,
        mode: "KEYFRAMES",
        includeFrames: false,
        storyboard: { intervalSeconds: 2, tileWidth: 160 },
        animated: { gif: false, fromSeconds: null, toSeconds: null },
      }),
    ).toBe("previews only: storyboard (a tile every 2 s), animated preview");
  });
});
