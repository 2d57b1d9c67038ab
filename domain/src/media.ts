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
