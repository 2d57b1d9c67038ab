import { describe, expect, it } from "vitest";
import { ImageSplitter } from "./splitter.js";

const jpeg = (payload: number[]): Buffer =>
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x4a, 0x46, 0xff, 0xda, 0x00, 0x03, 0x01, ...payload, 0xff, 0xd9]);
const png = (): Buffer => {
  const chunk = (type: string, data: Buffer) =>
    Buffer.concat([Buffer.from([0, 0, 0, data.length]), Buffer.from(type, "latin1"), data, Buffer.alloc(4)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", Buffer.alloc(13)),
    chunk("IDAT", Buffer.from("IEND-in-data")),
    chunk("IEND", Buffer.alloc(0)),
  ]);
};
const riff = (n: number): Buffer => {
  const b = Buffer.alloc(8 + n);
  b.write("RIFF", 0, "latin1");
  b.writeUInt32LE(n, 4);
  b.write("WEBP", 8, "latin1");
  return b;
};

/** Feeds the stream byte by byte and in one piece: the same images either way. */
function split(format: "JPEG" | "PNG" | "WEBP", stream: Buffer): { whole: Buffer[]; bytewise: Buffer[] } {
  const whole = new ImageSplitter(format).push(stream);
  const s = new ImageSplitter(format);
  const bytewise: Buffer[] = [];
  for (let i = 0; i < stream.length; i++) bytewise.push(...s.push(stream.subarray(i, i + 1)));
  return { whole, bytewise };
}

describe("ImageSplitter", () => {
  it("JPEG: stuffed 0xFF00 and restart markers in entropy data do not end an image", () => {
    const a = jpeg([0x12, 0xff, 0x00, 0x34, 0xff, 0xd3, 0x56]);
    const b = jpeg([0xff, 0x00, 0xd9]);
    const { whole, bytewise } = split("JPEG", Buffer.concat([a, b]));
    expect(whole).toEqual([a, b]);
    expect(bytewise).toEqual([a, b]);
  });
  it("PNG: ends at the IEND chunk, not at the letters inside data", () => {
    const { whole, bytewise } = split("PNG", Buffer.concat([png(), png()]));
    expect(whole).toEqual([png(), png()]);
    expect(bytewise).toHaveLength(2);
  });
  it("WEBP: RIFF sizes, padded to even", () => {
    const { whole, bytewise } = split("WEBP", Buffer.concat([riff(10), riff(12)]));
    expect(whole.map((b) => b.length)).toEqual([18, 20]);
    expect(bytewise.map((b) => b.length)).toEqual([18, 20]);
  });
  it("keeps a truncated tail pending and refuses a foreign stream", () => {
    const s = new ImageSplitter("JPEG");
    expect(s.push(jpeg([1, 2]).subarray(0, 10))).toEqual([]);
    expect(s.pending).toBe(10);
    expect(() => new ImageSplitter("PNG").push(Buffer.from("GIF89a....."))).toThrow(/not PNG/);
  });
});
