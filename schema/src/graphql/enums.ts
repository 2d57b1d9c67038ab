import { registerEnumType } from "type-graphql";
import {
  EXTRACTION_ERROR_CODES,
  FIT_MODES,
  IMAGE_FORMATS,
  JOB_STATUSES,
  PREVIEW_IMAGE_FORMATS,
  REQUESTED_MODES,
  TIMESTAMP_UNITS,
  USER_ERROR_CODES,
  VIDEO_STATUSES,
} from "@vp/domain";

/** type-graphql wants an enum object; ours are `as const` tuples shared with zod, so derive one. */
function enumOf<const T extends string>(values: readonly T[]): { readonly [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as {
    readonly [K in T]: K;
  };
}

export const JobStatusEnum = enumOf(JOB_STATUSES);
export const VideoStatusEnum = enumOf(VIDEO_STATUSES);
export const SamplingModeEnum = enumOf(REQUESTED_MODES);
export const PreviewImageFormatEnum = enumOf(PREVIEW_IMAGE_FORMATS);
export const ImageFormatEnum = enumOf(IMAGE_FORMATS);
export const FitModeEnum = enumOf(FIT_MODES);
export const TimestampUnitEnum = enumOf(TIMESTAMP_UNITS);
export const ExtractionErrorCodeEnum = enumOf(EXTRACTION_ERROR_CODES);

export const UserErrorCodeEnum = enumOf(USER_ERROR_CODES);

registerEnumType(JobStatusEnum, {
  name: "JobStatus",
  description: "Lifecycle of an extraction job.",
  valuesConfig: {
    QUEUED: { description: "Waiting for a worker." },
    RUNNING: { description: "A worker is extracting frames." },
    SUCCEEDED: { description: "The archive is ready to download." },
    FAILED: { description: "Extraction failed; see `error`." },
    CANCELLED: { description: "Cancelled by the user." },
  },
});
registerEnumType(VideoStatusEnum, {
  name: "VideoStatus",
  valuesConfig: {
    AWAITING_UPLOAD: {
      description: "Created; the bytes have not been confirmed yet (completeVideoUpload).",
    },
    PROCESSING: {
      description: "Uploaded whole; its first job's worker is probing it (READY or REJECTED follows).",
    },
    READY: { description: "Probed and readable; its metadata is known." },
    REJECTED: {
      description: "The file could not be read as a video; see `rejectionReason`.",
    },
  },
});
registerEnumType(SamplingModeEnum, {
  name: "SamplingMode",
  description: "How frames are chosen from the video.",
  valuesConfig: {
    INTERVAL: { description: "One frame every `intervalSeconds`." },
    COUNT: { description: "`count` frames evenly spread over the range." },
    TIMESTAMPS: { description: "The frames at explicit `timestamps`." },
    KEYFRAMES: { description: "The encoder's keyframes." },
    SCENES: {
      description: "One frame per scene change above `sceneThreshold`.",
    },
    BEST: {
      description:
        "The `count` frames a person would pick: black, flat, faded, blurred and near-duplicate frames rejected, at most one per scene, spread over the video; scores in manifest.json.",
    },
  },
});
registerEnumType(PreviewImageFormatEnum, {
  name: "PreviewImageFormat",
  description: "Image format of storyboard sheets.",
});
registerEnumType(ImageFormatEnum, { name: "ImageFormat" });
registerEnumType(FitModeEnum, {
  name: "FitMode",
  description: "How a frame is fitted to `width`/`height`.",
  valuesConfig: {
    CONTAIN: { description: "Fit inside the box, keeping the aspect ratio." },
    COVER: {
      description: "Fill the box, keeping the aspect ratio, cropping the overflow.",
    },
    FILL: { description: "Stretch to the box." },
  },
});
registerEnumType(TimestampUnitEnum, { name: "TimestampUnit" });
registerEnumType(ExtractionErrorCodeEnum, {
  name: "ExtractionErrorCode",
  description: "Why an extraction failed.",
});
registerEnumType(UserErrorCodeEnum, {
  name: "UserErrorCode",
  description: "Why a mutation refused (part of) its input.",
});
