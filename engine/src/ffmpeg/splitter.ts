import type { ImageFormat } from "@vp/domain";

/**
 * Cuts ffmpeg's image2pipe byte stream into whole images. Each format is parsed by its own framing
 * (JPEG markers, PNG chunks, RIFF sizes), never by guessing, so image data cannot fake a boundary.
 */
export class ImageSplitter {
  /** Bytes received and not yet returned, at the front of a buffer grown by doubling (few copies, little garbage). */
  private store: Buffer = Buffer.alloc(0);
  private len = 0;
  /** Parse position inside the image being assembled (resumes where the last chunk ended). */
  private pos = 0;
  private inEntropy = false;

  constructor(private readonly format: ImageFormat) {}

  private get buf(): Buffer {
    return this.store.subarray(0, this.len);
  }

  /** Appends bytes; returns the images completed by them. */
  push(chunk: Buffer): Buffer[] {
    if (this.len + chunk.length > this.store.length) {
      const grown = Buffer.allocUnsafe(Math.max(64 * 1024, 2 * this.store.length, this.len + chunk.length));
      this.store.copy(grown, 0, 0, this.len);
      this.store = grown;
    }
    chunk.copy(this.store, this.len);
    this.len += chunk.length;
    const out: Buffer[] = [];
    for (;;) {
      const end = this.findEnd();
      if (end < 0) break;
      out.push(Buffer.from(this.store.subarray(0, end)));
      this.store.copyWithin(0, end, this.len);
      this.len -= end;
      this.pos = 0;
      this.inEntropy = false;
    }
    return out;
  }

  /** Bytes left over at the end of the stream: a truncated image. */
  get pending(): number {
    return this.len;
  }

  private findEnd(): number {
    switch (this.format) {
      case "JPEG":
        return this.jpegEnd();
      case "PNG":
        return this.pngEnd();
      case "WEBP":
        return this.riffEnd();
    }
  }

  private jpegEnd(): number {
    const b = this.buf;
    if (this.pos === 0) {
      if (b.length < 2) return -1;
      if (b[0] !== 0xff || b[1] !== 0xd8) throw new Error("image stream is not JPEG (no SOI marker)");
      this.pos = 2;
    }
    while (this.pos + 1 < b.length) {
      if (this.inEntropy) {
        // Scan entropy-coded data: 0xFF00 is a stuffed byte, 0xFFD0-D7 restart markers, anything else a marker.
        const ff = b.indexOf(0xff, this.pos);
        if (ff < 0 || ff + 1 >= b.length) {
          this.pos = ff < 0 ? b.length : ff;
          return -1;
        }
        const m = b[ff + 1] as number;
        if (m === 0x00 || (m >= 0xd0 && m <= 0xd7) || m === 0xff) {
          this.pos = ff + (m === 0xff ? 1 : 2);
          continue;
        }
        this.inEntropy = false;
        this.pos = ff;
        continue;
      }
      if (b[this.pos] !== 0xff) throw new Error("malformed JPEG marker");
      const m = b[this.pos + 1] as number;
      if (m === 0xff) {
        this.pos += 1;
        continue;
      }
      if (m === 0xd9) return this.pos + 2;
      if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
        this.pos += 2;
        continue;
      }
      if (this.pos + 4 > b.length) return -1;
      const len = b.readUInt16BE(this.pos + 2);
      if (this.pos + 2 + len > b.length) return -1;
      this.pos += 2 + len;
      if (m === 0xda) this.inEntropy = true;
    }
    return -1;
  }

  private pngEnd(): number {
    const b = this.buf;
    if (this.pos === 0) {
      if (b.length < 8) return -1;
      if (b.readUInt32BE(0) !== 0x89504e47) throw new Error("image stream is not PNG");
      this.pos = 8;
    }
    while (this.pos + 8 <= b.length) {
      const len = b.readUInt32BE(this.pos);
      const type = b.toString("latin1", this.pos + 4, this.pos + 8);
      const next = this.pos + 12 + len;
      if (next > b.length) return -1;
      this.pos = next;
      if (type === "IEND") return next;
    }
    return -1;
  }

  private riffEnd(): number {
    const b = this.buf;
    if (b.length < 8) return -1;
    if (b.toString("latin1", 0, 4) !== "RIFF") throw new Error("image stream is not WebP (no RIFF header)");
    const size = b.readUInt32LE(4) + 8 + (b.readUInt32LE(4) % 2);
    return size <= b.length ? size : -1;
  }
}
