/** What the probe learned about an uploaded video, in our own terms (never raw ffprobe JSON). */
export interface VideoMetadata {
  readonly durationSeconds: number;
  /** Display dimensions, after rotation is applied. */
  readonly width: number;
  readonly height: number;
  /** Average frame rate; for variable frame rate input this is the mean. */
  readonly frameRate: number;
  readonly videoCodec: string;
  /** Degrees clockwise the stored picture must be turned to display upright (0, 90, 180, 270). */
  readonly rotation: number;
  readonly hasAudio: boolean;
  readonly formatName: string;
}

/**
 * Everything the probe learned, stored with the video once (by the worker, the only role with
 * ffprobe) and reused by every later step: the API checks plans against it, the engine plans from it.
 */
export interface VideoProbe extends VideoMetadata {
  /** Timestamp of the first video frame (seconds); often 0, not always. */
  readonly startTime: number;
  /** Mean seconds between keyframes, when known. */
  readonly keyframeIntervalSeconds: number | null;
  /** True when the stream's frame rate varies (phone and screen recordings). */
  readonly variableFrameRate: boolean;
  readonly frameCount: number | null;
  /**
   * Where ffmpeg's seek timeline starts (the container's start time, seconds). Times in options and
   * manifests are relative to it. Absent in probes made elsewhere: then `startTime` is used.
   */
  readonly timeOrigin?: number;
  /** The video stream's time base: its timestamps are whole multiples of num/den seconds. */
  readonly timeBase?: { readonly num: number; readonly den: number };
  /** Keyframe times seen in the first minute (seconds, timeline of the options); lets segments start on keyframes. */
  readonly keyframeSample?: readonly number[];
  /**
   * Every keyframe of the video, read from its packets (no decoding): the input of every plan.
   * Absent in probes made before it was kept (the worker then probes again once).
   */
  readonly keyframeIndex?: KeyframeIndexRecord;
}

/**
 * The keyframe index as stored with the video. "d36": one entry per keyframe in presentation
 * order, `<Δµs>.<Δframes>` in base 36 joined by commas: the keyframe's time (microseconds on the
 * options' timeline) and its frame number (decode order) as differences from the previous entry
 * (the first from 0). About 8 characters a keyframe. An index longer than the stored cap (a very
 * long video: the whole record must fit a 400 KB DynamoDB item) is "omitted" and read again from
 * the file when a job needs it (well under a second per hour of video).
 */
export type KeyframeIndexRecord =
  | {
      readonly encoding: "d36";
      readonly data: string;
      /** Video packets (frames) in the stream. */
      readonly frameCount: number;
      /** Time of the last frame (seconds, the options' timeline). */
      readonly lastFrameSeconds: number;
    }
  | { readonly encoding: "omitted"; readonly keyframeCount: number };

/** A stored probe made before timing facts were kept has none: the worker probes such a video again. */
/** A stored probe with a keyframe index (possibly omitted as too large): no need to probe again. */
export const hasKeyframeIndex = (m: VideoProbe): boolean => m.keyframeIndex !== undefined;

export const hasTiming = (m: VideoMetadata | null): m is VideoProbe =>
  m !== null && typeof (m as Partial<VideoProbe>).startTime === "number";
