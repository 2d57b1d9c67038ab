import { describe, expect, it } from "vitest";
import {
  buildExtractArgs,
  encoderArgs,
  jpegQscale,
  num,
  outputFilters,
  outputSize,
  pngCompression,
  secs,
} from "./args.js";

describe("buildExtractArgs", () => {
  it("one local input, accurate seek with original timestamps, images to stdout", () => {
    expect(
      buildExtractArgs(
        { url: "file:/v/in.mp4", seek: 1.5, duration: 10, threads: 1 },
        { filters: ["settb=AVTB", "showinfo=checksum=0"], format: "JPEG", quality: 85, fpsModeFlag: "-fps_mode" },
      ),
    ).toEqual([
      "-hide_banner",
      "-nostdin",
      "-nostats",
      "-loglevel",
      "info",
      "-xerror",
      "-protocol_whitelist",
      "file",
      "-threads",
      "1",
      "-ss",
      "1.5",
      "-t",
      "10",
      "-copyts",
      "-i",
      "file:/v/in.mp4",
      "-map",
      "0:v:0",
      "-an",
      "-sn",
      "-dn",
      "-vf",
      "settb=AVTB,showinfo=checksum=0",
      "-fps_mode",
      "passthrough",
      "-c:v",
      "mjpeg",
      "-q:v",
      "6",
      "-qmin",
      "1",
      "-qmax",
      "31",
      "-pix_fmt",
      "yuvj420p",
      "-f",
      "image2pipe",
      "pipe:1",
    ]);
  });

  it("our own concat script (seek batches): data: and file: only, no seek of its own", () => {
    const args = buildExtractArgs(
      { url: "data:text/plain;base64,AAAA", concat: true, threads: 1 },
      { filters: ["null"], format: "JPEG", quality: 85, maxFrames: 4, fpsModeFlag: "-fps_mode" },
    );
    expect(args.slice(args.indexOf("-protocol_whitelist"), args.indexOf("-map"))).toEqual([
      "-protocol_whitelist",
      "file,data",
      "-threads",
      "1",
      "-f",
      "concat",
      "-safe",
      "0",
      "-copyts",
      "-i",
      "data:text/plain;base64,AAAA",
    ]);
  });

  it("keyframes only, a frame cap, and -vsync for old builds", () => {
    const args = buildExtractArgs(
      { url: "file:/a.mp4", seek: 0, keyframesOnly: true },
      { filters: ["null"], format: "PNG", quality: 100, maxFrames: 3, fpsModeFlag: "-vsync" },
    );
    expect(args.slice(args.indexOf("-protocol_whitelist"), args.indexOf("-i"))).toEqual([
      "-protocol_whitelist",
      "file",
      "-skip_frame",
      "nokey",
      "-ss",
      "0",
      "-copyts",
    ]);
    expect(args).toContain("-vsync");
    expect(args.slice(args.indexOf("-frames:v"), args.indexOf("-frames:v") + 2)).toEqual(["-frames:v", "3"]);
  });
});

describe("encoder quality is pinned", () => {
  it("maps 1..100 per encoder", () => {
    expect([jpegQscale(100), jpegQscale(85), jpegQscale(1)]).toEqual([2, 6, 31]);
    expect([pngCompression(100), pngCompression(1)]).toEqual([1, 9]);
    expect(encoderArgs("WEBP", 70)).toEqual([
      "-c:v",
      "libwebp",
      "-lossless",
      "0",
      "-quality",
      "70",
      "-compression_level",
      "4",
      "-preset",
      "default",
      "-pix_fmt",
      "yuv420p",
    ]);
    expect(encoderArgs("PNG", 50)).toEqual(["-c:v", "png", "-compression_level", "5", "-pix_fmt", "rgb24"]);
  });
});

describe("outputSize", () => {
  const o = { fit: "CONTAIN", allowUpscale: false } as const;
  it.each([
    [{}, [1280, 720, 1280, 720]],
    [{ width: 640 }, [640, 360, 640, 360]],
    [{ height: 100 }, [178, 100, 178, 100]],
    [{ width: 4000 }, [1280, 720, 1280, 720]],
    [{ width: 2560, allowUpscale: true }, [2560, 1440, 2560, 1440]],
    [{ width: 300, height: 300 }, [300, 169, 300, 169]],
    [{ width: 300, height: 300, fit: "COVER" }, [533, 300, 300, 300]],
    [{ width: 300, height: 300, fit: "FILL" }, [300, 300, 300, 300]],
    [{ width: 3000, height: 300, fit: "FILL" }, [1280, 300, 1280, 300]],
    [{ width: 2000, height: 2000, fit: "COVER" }, [1280, 720, 1280, 720]],
  ] as const)("%j -> scale %j", (req, [sw, sh, w, h]) => {
    expect(outputSize(1280, 720, { ...o, ...req })).toEqual({ scaleWidth: sw, scaleHeight: sh, width: w, height: h });
  });

  it("filters: scale and crop only when needed, then the timestamp log", () => {
    expect(outputFilters(1280, 720, outputSize(1280, 720, o))).toEqual([
      "setsar=1",
      "settb=AVTB",
      "showinfo=checksum=0",
    ]);
    expect(outputFilters(1280, 720, outputSize(1280, 720, { ...o, width: 300, height: 300, fit: "COVER" }))).toEqual([
      "scale=533:300:flags=bicubic",
      "crop=300:300",
      "setsar=1",
      "settb=AVTB",
      "showinfo=checksum=0",
    ]);
  });
});

describe("numbers in arguments and expressions", () => {
  it("numbers: plain decimals; times rounded down to the microsecond", () => {
    expect([num(1e-7), num(2), num(1 / 3)]).toEqual(["0.0000001", "2", "0.333333333"]);
    expect([secs(2 / 3), secs(4.9999999), secs(3)]).toEqual(["0.666666", "4.999999", "3"]);
  });
});
