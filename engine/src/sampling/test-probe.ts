import { extractionOptionsSchema, type ExtractionOptionsInput } from "@vp/domain";
import type { ProbeResult } from "../types.js";

/** For the unit tests beside it: a 10-minute 720p30 mp4 with a keyframe every 8 s, and options as the edge parses them. */
export const probe = (over: Partial<ProbeResult> = {}): ProbeResult => ({
  durationSeconds: 600,
  width: 1280,
  height: 720,
  frameRate: 30,
  videoCodec: "h264",
  rotation: 0,
  hasAudio: false,
  formatName: "mov,mp4",
  startTime: 0,
  keyframeIntervalSeconds: 8,
  variableFrameRate: false,
  frameCount: 18000,
  ...over,
});
export const opts = (o: ExtractionOptionsInput) => extractionOptionsSchema.parse(o);
