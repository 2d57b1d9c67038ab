import { describe, expect, it } from "vitest";
import { containerName } from "./container-name.js";

describe("containerName", () => {
  it("names ffprobe's demuxer families as people know them", () => {
    expect(containerName("mov,mp4,m4a,3gp,3g2,mj2")).toBe("MP4/MOV");
    expect(containerName("matroska,webm")).toBe("Matroska/WebM");
    expect(containerName("mpegts")).toBe("MPEG-TS");
    expect(containerName("avi")).toBe("AVI");
    expect(containerName("asf")).toBe("ASF/WMV");
    expect(containerName("flv")).toBe("FLV");
    expect(containerName("ogg")).toBe("Ogg");
  });

  it("keeps an unknown demuxer's first name rather than guessing", () => {
    expect(containerName("wav")).toBe("wav");
    expect(containerName("image2,png_pipe")).toBe("image2");
    expect(containerName("")).toBe("");
  });
});
