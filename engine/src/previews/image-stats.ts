/**
 * Measures of one small grey picture (rawvideo gray, w x h bytes), computed in Node on the cheap
 * pass's output: brightness and contrast (black, uniform and faded frames), the Laplacian's
 * variance (blur: a blurred picture has weak second derivatives), histogram entropy (detail), a
 * difference hash (near-duplicates) and a 16x16 thumbnail (scene changes).
 */
export interface PictureStats {
  readonly meanLuma: number;
  readonly lumaStd: number;
  readonly laplacianVariance: number;
  /** Bits, 0..8. */
  readonly entropy: number;
  /** 64-bit difference hash, as 16 hex digits. */
  readonly hash: string;
  readonly thumb: Uint8Array;
}

export function pictureStats(px: Uint8Array, w: number, h: number): PictureStats {
  const n = w * h;
  const hist = new Uint32Array(256);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = px[i] as number;
    sum += v;
    hist[v] = (hist[v] as number) + 1;
  }
  const mean = sum / n;
  let sq = 0;
  let entropy = 0;
  for (let v = 0; v < 256; v++) {
    const c = hist[v] as number;
    if (c === 0) continue;
    sq += c * (v - mean) * (v - mean);
    const p = c / n;
    entropy -= p * Math.log2(p);
  }
  let lsum = 0;
  let lsq = 0;
  let ln = 0;
  for (let y = 1; y < h - 1; y++)
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const l =
        (px[i - 1] as number) +
        (px[i + 1] as number) +
        (px[i - w] as number) +
        (px[i + w] as number) -
        4 * (px[i] as number);
      lsum += l;
      lsq += l * l;
      ln++;
    }
  const lmean = ln > 0 ? lsum / ln : 0;
  return {
    meanLuma: mean,
    lumaStd: Math.sqrt(sq / n),
    laplacianVariance: ln > 0 ? lsq / ln - lmean * lmean : 0,
    entropy,
    hash: differenceHash(px, w, h),
    thumb: boxResize(px, w, h, 16, 16),
  };
}

/** Box-average resize (each output pixel the mean of the source pixels it covers). */
export function boxResize(px: Uint8Array, w: number, h: number, ow: number, oh: number): Uint8Array {
  const out = new Uint8Array(ow * oh);
  for (let oy = 0; oy < oh; oy++) {
    const y0 = Math.floor((oy * h) / oh);
    const y1 = Math.max(y0 + 1, Math.floor(((oy + 1) * h) / oh));
    for (let ox = 0; ox < ow; ox++) {
      const x0 = Math.floor((ox * w) / ow);
      const x1 = Math.max(x0 + 1, Math.floor(((ox + 1) * w) / ow));
      let s = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += px[y * w + x] as number;
      out[oy * ow + ox] = Math.round(s / ((y1 - y0) * (x1 - x0)));
    }
  }
  return out;
}

/** dHash: 9x8 thumbnail, one bit per horizontal neighbour pair (brighter to the right or not). */
export function differenceHash(px: Uint8Array, w: number, h: number): string {
  const t = boxResize(px, w, h, 9, 8);
  let bits = "";
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++) bits += (t[y * 9 + x + 1] as number) > (t[y * 9 + x] as number) ? "1" : "0";
  let hex = "";
  for (let i = 0; i < 64; i += 4) hex += Number.parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}

export function hammingDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let x = Number.parseInt(a[i] as string, 16) ^ Number.parseInt(b[i] as string, 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

/** Mean absolute difference of two thumbnails (0..255). */
export function thumbDifference(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return s / a.length;
}
