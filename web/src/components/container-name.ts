/**
 * ffprobe's format_name lists every name of its demuxer ("mov,mp4,m4a,3gp,3g2,mj2",
 * "matroska,webm"): the first one says which family the file is; people know the family by this name.
 */
const FAMILIES: Readonly<Record<string, string>> = {
  mov: "MP4/MOV",
  mp4: "MP4/MOV",
  m4a: "MP4/MOV",
  "3gp": "MP4/MOV",
  matroska: "Matroska/WebM",
  webm: "Matroska/WebM",
  mpegts: "MPEG-TS",
  mpeg: "MPEG-PS",
  avi: "AVI",
  asf: "ASF/WMV",
  flv: "FLV",
  ogg: "Ogg",
  mxf: "MXF",
  gif: "GIF",
  h264: "Raw H.264",
  hevc: "Raw HEVC",
  ivf: "IVF",
  nut: "NUT",
  dv: "DV",
};

/** "mov,mp4,m4a,3gp,3g2,mj2" -> "MP4/MOV"; an unknown demuxer keeps its own first name. */
export function containerName(formatName: string): string {
  const first = formatName.split(",")[0]!.trim().toLowerCase();
  return FAMILIES[first] ?? (first || formatName);
}
