import { describe, expect, it } from "vitest";
import {
  analysisArgs,
  animatedArgs,
  checkFontPath,
  contactSheetArgs,
  drawableText,
  framesAtArgs,
  sheetArgs,
  targetsSelect,
} from "./args.js";

const source = { url: "file:///v/in.mp4", origin: 0, threads: 2 };
const HEAD = ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-protocol_whitelist", "file"];
const JPEG_85 = ["-c:v", "mjpeg", "-q:v", "6", "-qmin", "1", "-qmax", "31", "-pix_fmt", "yuvj420p"];
const FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

describe("preview arguments", () => {
  it("storyboard: the tiles (sampled at the tile size by the engine's plan) laid out into sheets", () => {
    const plan = { intervalSeconds: 5, count: 120, tileWidth: 160, tileHeight: 90, columns: 10, rows: 12, sheets: 1 };
    expect(sheetArgs({ pattern: "/tmp/sb/tile_%06d.png", plan, format: "JPEG", quality: 85 })).toEqual([
      ...HEAD,
      "-f",
      "image2",
      "-framerate",
      "1",
      "-start_number",
      "0",
      "-i",
      "/tmp/sb/tile_%06d.png",
      "-vf",
      "setsar=1,tile=10x12",
      "-fps_mode",
      "passthrough",
      ...JPEG_85,
      "-f",
      "image2pipe",
      "pipe:1",
    ]);
  });

  it("targets are on ffmpeg's raw timeline (the container's start added)", () => {
    expect(targetsSelect(1.4, 0.5, 3)).toBe(
      "select='if(isnan(prev_t),gte(floor((t-1.4+0.000001)/0.5),0),gt(floor((t-1.4+0.000001)/0.5),floor((prev_t-1.4+0.000001)/0.5))*lt(floor((prev_t-1.4+0.000001)/0.5),2))'",
    );
  });

  const sheet = {
    source,
    plan: {
      times: [2.5, 7.5],
      columns: 2,
      rows: 1,
      tileWidth: 320,
      tileHeight: 180,
      gap: 6,
      headerHeight: 84,
      fontSize: 20,
    },
    span: { start: 0, end: 10 },
    fontPath: FONT,
    title: "clip.mp4",
    details: "00\\:00\\:10  ·  1280×720  ·  h264",
    format: "JPEG" as const,
    quality: 85,
    frameSeconds: 1 / 30,
  };
  const label = `drawtext=fontfile=${FONT}:text='%{pts\\:hms}':fontsize=20:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=4:x=w-tw-8:y=h-th-8`;
  const header = [
    "tile=2x1:margin=6:padding=6:color=0x1c1c1c",
    "pad=iw:ih+84:0:84:color=0x1c1c1c",
    `drawtext=fontfile=${FONT}:expansion=none:text='clip.mp4':fontsize=28:fontcolor=white:x=12:y=12`,
    `drawtext=fontfile=${FONT}:expansion=none:text='00\\:00\\:10  ·  1280×720  ·  h264':fontsize=20:fontcolor=0xd0d0d0:x=12:y=54`,
  ].join(",");

  it("contact sheet, sparse: an accurate seek per tile, one decoder thread each, the grid under its header", () => {
    expect(contactSheetArgs({ ...sheet, strategy: "seek" })).toEqual([
      ...HEAD,
      "-copyts",
      ...["-threads", "1", "-ss", "2.5", "-t", "0.5", "-i", "file:///v/in.mp4"],
      ...["-threads", "1", "-ss", "7.5", "-t", "0.5", "-i", "file:///v/in.mp4"],
      "-filter_complex",
      `[0:v]trim=end_frame=1,scale=320:180:flags=bicubic,setsar=1,settb=AVTB,showinfo@c0=checksum=0,${label}[t0];` +
        `[1:v]trim=end_frame=1,scale=320:180:flags=bicubic,setsar=1,settb=AVTB,showinfo@c1=checksum=0,${label}[t1];` +
        `[t0][t1]concat=n=2:v=1:a=0,${header}`,
      "-an",
      "-frames:v",
      "1",
      "-fps_mode",
      "passthrough",
      ...JPEG_85,
      "-f",
      "image2pipe",
      "pipe:1",
    ]);
  });

  it("contact sheet, dense: one pass from the first tile's time, a video starting late shows its own times", () => {
    const args = contactSheetArgs({ ...sheet, strategy: "decode", source: { ...source, origin: 1.5 } });
    expect(args.slice(0, 18)).toEqual([
      ...HEAD,
      "-threads",
      "2",
      "-ss",
      "2.5",
      "-t",
      "7.5",
      "-copyts",
      "-i",
      "file:///v/in.mp4",
      "-map",
      "0:v:0",
    ]);
    const vf = args[args.indexOf("-vf") + 1] as string;
    expect(vf.startsWith("select='if(isnan(prev_t),gte(floor((t-4+0.000001)/5),0)")).toBe(true);
    expect(vf).toContain("text='%{pts\\:hms\\:-1.5}'");
    expect(vf.endsWith(header)).toBe(true);
  });

  it("animated WebP: the clips in a row, a fixed rate and width, looping", () => {
    expect(
      animatedArgs({
        source,
        clips: [
          { start: 1, end: 2 },
          { start: 5.5, end: 6.5 },
        ],
        width: 320,
        fps: 10,
        format: "WEBP",
        quality: 70,
      }),
    ).toEqual([
      ...HEAD,
      "-threads",
      "2",
      ...["-ss", "1", "-t", "1", "-i", "file:///v/in.mp4", "-ss", "5.5", "-t", "1", "-i", "file:///v/in.mp4"],
      "-filter_complex",
      "[0:v]fps=10,scale=320:-2:flags=lanczos,setsar=1,format=yuv420p[c0];[1:v]fps=10,scale=320:-2:flags=lanczos,setsar=1,format=yuv420p[c1];[c0][c1]concat=n=2:v=1:a=0",
      "-an",
      ...["-c:v", "libwebp", "-lossless", "0", "-quality", "70", "-compression_level", "4", "-loop", "0", "-f", "webp"],
      "pipe:1",
    ]);
  });

  it("animated GIF: one palette for the whole animation", () => {
    const args = animatedArgs({ source, clips: [{ start: 0, end: 2 }], width: 240, fps: 8, format: "GIF", quality: 0 });
    expect(args[args.indexOf("-filter_complex") + 1]).toBe(
      "[0:v]fps=8,scale=240:-2:flags=lanczos,setsar=1,format=yuv420p[c0];[c0]concat=n=1:v=1:a=0,split[g0][g1];[g0]palettegen=max_colors=128:stats_mode=diff[p];[g1][p]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle",
    );
    expect(args.slice(-5)).toEqual(["-an", "-loop", "0", "-f", "gif", "pipe:1"].slice(-5));
  });

  it("best thumbnails' cheap pass: keyframes only, small grey raw pictures with their times", () => {
    expect(analysisArgs({ source, span: { start: 0, end: 60 }, keyframesOnly: true, width: 256, height: 144 })).toEqual(
      [
        ...HEAD,
        "-threads",
        "2",
        "-skip_frame",
        "nokey",
        "-ss",
        "0",
        "-t",
        "60",
        "-copyts",
        "-i",
        "file:///v/in.mp4",
        "-map",
        "0:v:0",
        "-an",
        "-sn",
        "-dn",
        "-vf",
        "scale=256:144:flags=area,format=gray,settb=AVTB,showinfo@cand=checksum=0",
        "-fps_mode",
        "passthrough",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "gray",
        "pipe:1",
      ],
    );
    const sampled = analysisArgs({
      source,
      span: { start: 0, end: 10 },
      keyframesOnly: false,
      sample: { count: 4 },
      width: 256,
      height: 144,
    });
    expect(sampled.slice(9, 11)).toEqual(["-skip_frame", "noref"]);
    expect(sampled[sampled.indexOf("-vf") + 1]).toMatch(
      /^select='if\(isnan\(prev_t\),gte\(floor\(\(t-1\.25\+0\.000001\)\/2\.5\),0\)/,
    );
  });

  it("the chosen frames: a seek a millisecond before each known time, its first frame, full size", () => {
    expect(
      framesAtArgs({
        source,
        times: [4.2],
        sizeFilters: ["scale=640:360:flags=bicubic"],
        format: "JPEG",
        quality: 85,
        frameSeconds: 1 / 30,
      }),
    ).toEqual([
      ...HEAD,
      "-copyts",
      ...["-threads", "1", "-ss", "4.199", "-t", "0.5", "-i", "file:///v/in.mp4"],
      "-filter_complex",
      "[0:v]trim=end_frame=1,scale=640:360:flags=bicubic,setsar=1,settb=AVTB,showinfo@f0=checksum=0[f0];[f0]concat=n=1:v=1:a=0",
      "-an",
      "-fps_mode",
      "passthrough",
      ...JPEG_85,
      "-f",
      "image2pipe",
      "pipe:1",
    ]);
  });

  it("texts drawn in a filter graph cannot break out of it", () => {
    expect(drawableText("my 'clip'; [x], a:b\\c %{pts}.mp4")).toBe("my _clip__ _x__ a\\:b_c __pts_.mp4");
    expect(drawableText("été 2026 — Ünïcode.mov")).toBe("été 2026 _ Ünïcode.mov");
    expect([...drawableText("x".repeat(100))]).toHaveLength(64);
    expect(checkFontPath(FONT)).toBe(FONT);
    expect(() => checkFontPath("/fonts/a:b.ttf")).toThrow(/cannot be used/);
    expect(() => checkFontPath("fonts/a.ttf")).toThrow(/cannot be used/);
  });
});
