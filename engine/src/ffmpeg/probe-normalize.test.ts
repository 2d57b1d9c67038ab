import { describe, expect, it } from "vitest";
import { classifyHead } from "./sniff.js";
import { isVariable, normalizeProbe, parseTimeBase, rotationOf } from "./probe-normalize.js";
import { ExtractionError } from "../types.js";

const stream = {
  index: 0,
  codec_type: "video",
  codec_name: "h264",
  width: 1920,
  height: 1080,
  avg_frame_rate: "30000/1001",
  start_time: "0.000000",
  nb_frames: "300",
};

describe("normalizeProbe", () => {
  it("turns ffprobe JSON into our ProbeResult", () => {
    const packets = [0, 1, 2, 3].flatMap((k) => [
      { stream_index: 0, pts_time: String(k * 2), flags: "K_" },
      { stream_index: 0, pts_time: String(k * 2 + 1), flags: "__" },
    ]);
    expect(
      normalizeProbe({
        format: { format_name: "mov,mp4,m4a,3gp,3g2,mj2", duration: "10.010000", start_time: "0.000000" },
        streams: [
          { ...stream, side_data_list: [{ side_data_type: "Display Matrix", rotation: -90 }] },
          { index: 1, codec_type: "audio", codec_name: "aac" },
        ],
        packets,
      }),
    ).toEqual({
      durationSeconds: 10.01,
      width: 1080,
      height: 1920,
      frameRate: 30000 / 1001,
      videoCodec: "h264",
      rotation: 90,
      hasAudio: true,
      formatName: "mov,mp4,m4a,3gp,3g2,mj2",
      startTime: 0,
      timeOrigin: 0,
      keyframeSample: [0, 2, 4, 6],
      keyframeIntervalSeconds: 2,
      variableFrameRate: false,
      frameCount: 300,
    });
  });

  it.each([
    [{ format: { format_name: "hls", duration: "5" }, streams: [stream] }, "UNSAFE_INPUT"],
    [
      {
        format: { format_name: "mov", duration: "5" },
        streams: [{ index: 0, codec_type: "audio", codec_name: "aac" }],
      },
      "NO_VIDEO_STREAM",
    ],
    [
      { format: { format_name: "mov", duration: "5" }, streams: [{ ...stream, disposition: { attached_pic: 1 } }] },
      "NO_VIDEO_STREAM",
    ],
    [{ format: { format_name: "png_pipe", duration: "5" }, streams: [stream] }, "NO_VIDEO_STREAM"],
    [
      { format: { format_name: "mov", duration: "5" }, streams: [{ ...stream, codec_name: undefined }] },
      "UNSUPPORTED_CODEC",
    ],
    [{ format: { format_name: "mov" }, streams: [{ ...stream, duration: undefined }] }, "INPUT_CORRUPT"],
  ])("refuses %j with %s", (raw, code) => {
    let err: unknown;
    try {
      normalizeProbe(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExtractionError);
    expect((err as ExtractionError).code).toBe(code);
  });

  it("rotation: display matrix is counter-clockwise, the legacy tag clockwise", () => {
    expect(rotationOf({ side_data_list: [{ rotation: 90 }] })).toBe(270);
    expect(rotationOf({ side_data_list: [{ rotation: -180 }] })).toBe(180);
    expect(rotationOf({ tags: { rotate: "90" } })).toBe(90);
    expect(rotationOf({})).toBe(0);
  });

  it("variable frame rate from frame spacing", () => {
    expect(isVariable([0, 1 / 30, 2 / 30, 3 / 30])).toBe(false);
    expect(isVariable([0, 1 / 30, 2 / 30, 0.2, 0.3])).toBe(true);
  });
});

describe("classifyHead", () => {
  it.each([
    ["#EXTM3U\n#EXTINF:1,\nhttp://x/a.ts\n", "a playlist or script that points at other files"],
    ["ffconcat version 1.0\nfile 'a.mp4'\n", "a playlist or script that points at other files"],
    ['<?xml version="1.0"?><MPD>', "a playlist or script that points at other files"],
    ["just some words\n", "a text file, not a video"],
  ])("%j is refused", (text, reason) => expect(classifyHead(Buffer.from(text))).toBe(reason));
  it("binary media passes", () => {
    expect(classifyHead(Buffer.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]))).toBeNull();
  });
});

describe("parseTimeBase", () => {
  it("reads ffprobe's num/den", () => {
    expect(parseTimeBase("1/15360")).toEqual({ num: 1, den: 15360 });
    expect([parseTimeBase("0/0"), parseTimeBase(undefined), parseTimeBase("abc")]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
