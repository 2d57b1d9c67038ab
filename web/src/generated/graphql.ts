/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** An animated WebP (and a GIF when asked) of short clips at evenly spread points, or of one range. */
export type AnimatedPreviewOptionsInput = {
  /** Seconds per clip, 0.5..5. Default 1. */
  clipSeconds?: number | null | undefined;
  /** Clips, 1..10. Default 5. */
  clips?: number | null | undefined;
  /** Frames per second, 2..30. Default 10. */
  fps?: number | null | undefined;
  /** One clip from here (with `toSeconds`, at most 30 s) instead of spread clips. */
  fromSeconds?: number | null | undefined;
  /** Also a GIF. Default false. */
  gif?: boolean | null | undefined;
  /** Largest size of each file in bytes (16 KiB..16 MiB); quality, rate and width are lowered to fit. Default 2 MiB. */
  maxBytes?: number | null | undefined;
  /** End of the one clip. */
  toSeconds?: number | null | undefined;
  /** Width, 64..480. Default 320. */
  width?: number | null | undefined;
};

export type CancelJobInput = {
  jobId: string | number;
};

export type CompleteMultipartInput = {
  /** Every part, in order from 1. */
  parts: Array<CompletedPart>;
  uploadId: string;
};

export type CompleteVideoUploadInput = {
  /** Required when the upload target was multipart: the parts sent, to assemble the file. */
  multipart?: CompleteMultipartInput | null | undefined;
  videoId: string | number;
};

export type CompletedPart = {
  /** The ETag header the part's upload answered. */
  etag: string;
  partNumber: number;
};

/** One image: a grid of evenly spread frames with their times, under a header (name, duration, size, codec). */
export type ContactSheetOptionsInput = {
  /** Frames per row, 1..10. Default 4. */
  columns?: number | null | undefined;
  /** Frames, 2..64. Default 16. */
  count?: number | null | undefined;
  /** Default JPEG. */
  format?: ImageFormat | null | undefined;
  /** 1..100. Default 85. */
  quality?: number | null | undefined;
  /** Width of each frame, 96..640. Default 320. */
  tileWidth?: number | null | undefined;
  /** The header's first line. Default: the video's file name. */
  title?: string | null | undefined;
};

export type CreateVideoUploadInput = {
  /** video/* or application/octet-stream. */
  contentType: string;
  /** Options of the extraction queued by completeVideoUpload. Default: one JPEG frame every second. */
  extraction?: ExtractionOptionsInput | null | undefined;
  /** Original file name; sanitized and shortened to 200 characters. */
  filename: string;
  /** Exact size of the file; the upload target enforces it. */
  sizeBytes: number;
};

export type DeleteVideoInput = {
  videoId: string | number;
};

/** Why an extraction failed. */
export type ExtractionErrorCode =
  | 'ARCHIVE_TOO_LARGE'
  | 'CANCELLED'
  | 'INPUT_CORRUPT'
  | 'INPUT_EMPTY'
  | 'INPUT_NOT_FOUND'
  | 'INTERNAL'
  | 'INVALID_OPTIONS'
  | 'NO_VIDEO_STREAM'
  | 'OUT_OF_DISK'
  | 'SOURCE_TOO_LARGE'
  | 'STALLED'
  | 'TIMEOUT'
  | 'UNSAFE_INPUT'
  | 'UNSUPPORTED_CODEC'
  | 'WORKER_LOST';

/** How to sample frames and encode them. Omitted fields take their defaults. */
export type ExtractionOptionsInput = {
  /** Allow output larger than the source. Default false. */
  allowUpscale?: boolean | null | undefined;
  /** Add an animated preview (preview.webp, preview.gif). */
  animated?: AnimatedPreviewOptionsInput | null | undefined;
  /** Add a contact sheet (contact-sheet.*). */
  contactSheet?: ContactSheetOptionsInput | null | undefined;
  /** COUNT: number of frames evenly spread over the range. */
  count?: number | null | undefined;
  /** End of the range, in seconds. */
  endSeconds?: number | null | undefined;
  /** Default CONTAIN. */
  fit?: FitMode | null | undefined;
  /** Default JPEG. */
  format?: ImageFormat | null | undefined;
  /** Output height in pixels (2..8192). */
  height?: number | null | undefined;
  /** false: no frames, only the previews asked for. Default true, except that a request naming previews and no mode gets only the previews. */
  includeFrames?: boolean | null | undefined;
  /** INTERVAL: seconds between frames (> 0). Default 1. */
  intervalSeconds?: number | null | undefined;
  /** Hard cap on frames; the server's limit bounds it. */
  maxFrames?: number | null | undefined;
  /** Default INTERVAL. */
  mode?: SamplingMode | null | undefined;
  /** 1..100, mapped per encoder. Default 85. */
  quality?: number | null | undefined;
  /** SCENES: minimum seconds between two scene frames. */
  sceneMinGapSeconds?: number | null | undefined;
  /** SCENES: scene-change score threshold, between 0 and 1 (exclusive). */
  sceneThreshold?: number | null | undefined;
  /** Start of the range, in seconds. */
  startSeconds?: number | null | undefined;
  /** Add a storyboard (storyboard.* files). */
  storyboard?: StoryboardOptionsInput | null | undefined;
  /** Unit of `timestamps`. Default SECONDS. */
  timestampUnit?: TimestampUnit | null | undefined;
  /** TIMESTAMPS: instants, in `timestampUnit`. */
  timestamps?: Array<number> | null | undefined;
  /** Output width in pixels (2..8192). */
  width?: number | null | undefined;
};

/** How a frame is fitted to `width`/`height`. */
export type FitMode =
  /** Fit inside the box, keeping the aspect ratio. */
  | 'CONTAIN'
  /** Fill the box, keeping the aspect ratio, cropping the overflow. */
  | 'COVER'
  /** Stretch to the box. */
  | 'FILL';

export type ImageFormat =
  | 'JPEG'
  | 'PNG'
  | 'WEBP';

/** Lifecycle of an extraction job. */
export type JobStatus =
  /** Cancelled by the user. */
  | 'CANCELLED'
  /** Extraction failed; see `error`. */
  | 'FAILED'
  /** Waiting for a worker. */
  | 'QUEUED'
  /** A worker is extracting frames. */
  | 'RUNNING'
  /** The archive is ready to download. */
  | 'SUCCEEDED';

/** Image format of storyboard sheets. */
export type PreviewImageFormat =
  | 'JPEG'
  | 'WEBP';

export type RetryJobInput = {
  jobId: string | number;
};

/** How frames are chosen from the video. */
export type SamplingMode =
  /** The `count` frames a person would pick: black, flat, faded, blurred and near-duplicate frames rejected, at most one per scene, spread over the video; scores in manifest.json. */
  | 'BEST'
  /** `count` frames evenly spread over the range. */
  | 'COUNT'
  /** One frame every `intervalSeconds`. */
  | 'INTERVAL'
  /** The encoder's keyframes. */
  | 'KEYFRAMES'
  /** One frame per scene change above `sceneThreshold`. */
  | 'SCENES'
  /** The frames at explicit `timestamps`. */
  | 'TIMESTAMPS';

export type StartExtractionInput = {
  /** Default: one JPEG frame every second. */
  extraction?: ExtractionOptionsInput | null | undefined;
  videoId: string | number;
};

/** Sprite sheets of small tiles, one per interval, with storyboard.vtt (cues pointing at `sheet#xywh=`) and storyboard.json (Mux's shape). */
export type StoryboardOptionsInput = {
  /** Tiles per row, 1..20. Default 10. */
  columns?: number | null | undefined;
  /** Default JPEG. */
  format?: PreviewImageFormat | null | undefined;
  /** Seconds between tiles (>= 0.1). Default: chosen for 50 to 200 tiles (about one every 5 s). */
  intervalSeconds?: number | null | undefined;
  /** 1..100. Default 75. */
  quality?: number | null | undefined;
  /** Rows per sheet at most, 1..20 (more tiles start another sheet). Default 10. */
  rows?: number | null | undefined;
  /** Tile width, 160..320 (the height keeps the aspect ratio). Default 160. */
  tileWidth?: number | null | undefined;
};

export type TimestampUnit =
  | 'PERCENT'
  | 'SECONDS';

/** Why a mutation refused (part of) its input. */
export type UserErrorCode =
  | 'ILLEGAL_TRANSITION'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'QUOTA_EXCEEDED'
  | 'SIZE_MISMATCH'
  | 'STALE_UPDATE'
  | 'UNREADABLE_VIDEO'
  | 'UPLOAD_MISSING'
  | 'VALIDATION';

export type VideoStatus =
  /** Created; the bytes have not been confirmed yet (completeVideoUpload). */
  | 'AWAITING_UPLOAD'
  /** Uploaded whole; its first job's worker is probing it (READY or REJECTED follows). */
  | 'PROCESSING'
  /** Probed and readable; its metadata is known. */
  | 'READY'
  /** The file could not be read as a video; see `rejectionReason`. */
  | 'REJECTED';

export type WebJobFragment = { id: string, status: JobStatus, progress: number, framesExtracted: number, attempts: number, createdAt: string, finishedAt: string | null, error: { code: ExtractionErrorCode, message: string, retryable: boolean } | null, options: { mode: SamplingMode, intervalSeconds: number | null, count: number | null, timestamps: Array<number> | null, timestampUnit: TimestampUnit, sceneThreshold: number | null, format: ImageFormat, quality: number, width: number | null, height: number | null, startSeconds: number | null, endSeconds: number | null, includeFrames: boolean, storyboard: { intervalSeconds: number | null, tileWidth: number } | null, contactSheet: { count: number } | null, animated: { gif: boolean, fromSeconds: number | null, toSeconds: number | null } | null }, result: { frameCount: number, archiveSizeBytes: number, downloadUrl: string } | null };

export type WebVideoFragment = { id: string, status: VideoStatus, filename: string, sizeBytes: number, rejectionReason: string | null, createdAt: string, metadata: { durationSeconds: number, width: number, height: number, frameRate: number, videoCodec: string, formatName: string } | null };

export type WebUserErrorFragment = { field: Array<string> | null, message: string, code: UserErrorCode };

export type WebCreateVideoUploadMutationVariables = Exact<{
  input: CreateVideoUploadInput;
}>;


export type WebCreateVideoUploadMutation = { createVideoUpload: { video: { id: string, status: VideoStatus, filename: string } | null, upload: { url: string, method: string, headers: Array<{ name: string, value: string }>, multipart: { uploadId: string, method: string, headers: Array<{ name: string, value: string }>, parts: Array<{ partNumber: number, url: string, sizeBytes: number }> } | null } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };

export type WebCompleteVideoUploadMutationVariables = Exact<{
  input: CompleteVideoUploadInput;
}>;


export type WebCompleteVideoUploadMutation = { completeVideoUpload: { video: { id: string, status: VideoStatus, filename: string, sizeBytes: number, rejectionReason: string | null, createdAt: string, metadata: { durationSeconds: number, width: number, height: number, frameRate: number, videoCodec: string, formatName: string } | null } | null, job: { id: string, status: JobStatus, progress: number, framesExtracted: number } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };

export type WebStartExtractionMutationVariables = Exact<{
  input: StartExtractionInput;
}>;


export type WebStartExtractionMutation = { startExtraction: { job: { id: string, status: JobStatus, progress: number, framesExtracted: number, attempts: number, createdAt: string, finishedAt: string | null, error: { code: ExtractionErrorCode, message: string, retryable: boolean } | null, options: { mode: SamplingMode, intervalSeconds: number | null, count: number | null, timestamps: Array<number> | null, timestampUnit: TimestampUnit, sceneThreshold: number | null, format: ImageFormat, quality: number, width: number | null, height: number | null, startSeconds: number | null, endSeconds: number | null, includeFrames: boolean, storyboard: { intervalSeconds: number | null, tileWidth: number } | null, contactSheet: { count: number } | null, animated: { gif: boolean, fromSeconds: number | null, toSeconds: number | null } | null }, result: { frameCount: number, archiveSizeBytes: number, downloadUrl: string } | null } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };

export type WebCancelJobMutationVariables = Exact<{
  input: CancelJobInput;
}>;


export type WebCancelJobMutation = { cancelJob: { job: { id: string, status: JobStatus, progress: number, framesExtracted: number, attempts: number, createdAt: string, finishedAt: string | null, error: { code: ExtractionErrorCode, message: string, retryable: boolean } | null, options: { mode: SamplingMode, intervalSeconds: number | null, count: number | null, timestamps: Array<number> | null, timestampUnit: TimestampUnit, sceneThreshold: number | null, format: ImageFormat, quality: number, width: number | null, height: number | null, startSeconds: number | null, endSeconds: number | null, includeFrames: boolean, storyboard: { intervalSeconds: number | null, tileWidth: number } | null, contactSheet: { count: number } | null, animated: { gif: boolean, fromSeconds: number | null, toSeconds: number | null } | null }, result: { frameCount: number, archiveSizeBytes: number, downloadUrl: string } | null } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };

export type WebRetryJobMutationVariables = Exact<{
  input: RetryJobInput;
}>;


export type WebRetryJobMutation = { retryJob: { job: { id: string, status: JobStatus, progress: number, framesExtracted: number, attempts: number, createdAt: string, finishedAt: string | null, error: { code: ExtractionErrorCode, message: string, retryable: boolean } | null, options: { mode: SamplingMode, intervalSeconds: number | null, count: number | null, timestamps: Array<number> | null, timestampUnit: TimestampUnit, sceneThreshold: number | null, format: ImageFormat, quality: number, width: number | null, height: number | null, startSeconds: number | null, endSeconds: number | null, includeFrames: boolean, storyboard: { intervalSeconds: number | null, tileWidth: number } | null, contactSheet: { count: number } | null, animated: { gif: boolean, fromSeconds: number | null, toSeconds: number | null } | null }, result: { frameCount: number, archiveSizeBytes: number, downloadUrl: string } | null } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };

export type WebDeleteVideoMutationVariables = Exact<{
  input: DeleteVideoInput;
}>;


export type WebDeleteVideoMutation = { deleteVideo: { deletedVideoId: string | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };

export type WebViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type WebViewerQuery = { viewer: { id: string, email: string | null } };

export type WebVideosQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  status?: VideoStatus | null | undefined;
}>;


export type WebVideosQuery = { videos: { edges: Array<{ cursor: string, node: { id: string, status: VideoStatus, filename: string, sizeBytes: number, rejectionReason: string | null, createdAt: string, latestJob: { id: string, status: JobStatus, progress: number, framesExtracted: number } | null, metadata: { durationSeconds: number, width: number, height: number, frameRate: number, videoCodec: string, formatName: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type WebVideoQueryVariables = Exact<{
  id: string | number;
}>;


export type WebVideoQuery = { video: { id: string, status: VideoStatus, filename: string, sizeBytes: number, rejectionReason: string | null, createdAt: string, jobs: { nodes: Array<{ id: string, status: JobStatus, progress: number, framesExtracted: number, attempts: number, createdAt: string, finishedAt: string | null, error: { code: ExtractionErrorCode, message: string, retryable: boolean } | null, options: { mode: SamplingMode, intervalSeconds: number | null, count: number | null, timestamps: Array<number> | null, timestampUnit: TimestampUnit, sceneThreshold: number | null, format: ImageFormat, quality: number, width: number | null, height: number | null, startSeconds: number | null, endSeconds: number | null, includeFrames: boolean, storyboard: { intervalSeconds: number | null, tileWidth: number } | null, contactSheet: { count: number } | null, animated: { gif: boolean, fromSeconds: number | null, toSeconds: number | null } | null }, result: { frameCount: number, archiveSizeBytes: number, downloadUrl: string } | null }> }, metadata: { durationSeconds: number, width: number, height: number, frameRate: number, videoCodec: string, formatName: string } | null } | null };

export type WebJobFramesQueryVariables = Exact<{
  jobId: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type WebJobFramesQuery = { job: { id: string, result: { frameCount: number, frames: { edges: Array<{ cursor: string, node: { index: number, timestampSeconds: number, width: number, height: number, url: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null } | null };

export type WebJobUpdatesSubscriptionVariables = Exact<{
  replaySeconds?: number | null | undefined;
}>;


export type WebJobUpdatesSubscription = { myJobUpdates: { id: string, status: JobStatus, progress: number, framesExtracted: number, attempts: number, createdAt: string, finishedAt: string | null, video: { id: string, status: VideoStatus, metadata: { durationSeconds: number, width: number, height: number, frameRate: number, videoCodec: string, formatName: string } | null } | null, error: { code: ExtractionErrorCode, message: string, retryable: boolean } | null, options: { mode: SamplingMode, intervalSeconds: number | null, count: number | null, timestamps: Array<number> | null, timestampUnit: TimestampUnit, sceneThreshold: number | null, format: ImageFormat, quality: number, width: number | null, height: number | null, startSeconds: number | null, endSeconds: number | null, includeFrames: boolean, storyboard: { intervalSeconds: number | null, tileWidth: number } | null, contactSheet: { count: number } | null, animated: { gif: boolean, fromSeconds: number | null, toSeconds: number | null } | null }, result: { frameCount: number, archiveSizeBytes: number, downloadUrl: string } | null } };

export const WebJobFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExtractionJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"framesExtracted"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}},{"kind":"Field","name":{"kind":"Name","value":"options"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"timestamps"}},{"kind":"Field","name":{"kind":"Name","value":"timestampUnit"}},{"kind":"Field","name":{"kind":"Name","value":"sceneThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"quality"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"startSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"endSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"includeFrames"}},{"kind":"Field","name":{"kind":"Name","value":"storyboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"tileWidth"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contactSheet"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"animated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gif"}},{"kind":"Field","name":{"kind":"Name","value":"fromSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"toSeconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"frameCount"}},{"kind":"Field","name":{"kind":"Name","value":"archiveSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}}]}}]}}]} as unknown as DocumentNode<WebJobFragment, unknown>;
export const WebVideoFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebVideo"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Video"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"filename"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"rejectionReason"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"frameRate"}},{"kind":"Field","name":{"kind":"Name","value":"videoCodec"}},{"kind":"Field","name":{"kind":"Name","value":"formatName"}}]}}]}}]} as unknown as DocumentNode<WebVideoFragment, unknown>;
export const WebUserErrorFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebUserError"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]} as unknown as DocumentNode<WebUserErrorFragment, unknown>;
export const WebCreateVideoUploadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebCreateVideoUpload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateVideoUploadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createVideoUpload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"video"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"filename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"upload"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"headers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"multipart"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uploadId"}},{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"headers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"parts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"partNumber"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebUserError"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebUserError"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]} as unknown as DocumentNode<WebCreateVideoUploadMutation, WebCreateVideoUploadMutationVariables>;
export const WebCompleteVideoUploadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebCompleteVideoUpload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CompleteVideoUploadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completeVideoUpload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"video"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebVideo"}}]}},{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"framesExtracted"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebUserError"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebVideo"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Video"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"filename"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"rejectionReason"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"frameRate"}},{"kind":"Field","name":{"kind":"Name","value":"videoCodec"}},{"kind":"Field","name":{"kind":"Name","value":"formatName"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebUserError"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]} as unknown as DocumentNode<WebCompleteVideoUploadMutation, WebCompleteVideoUploadMutationVariables>;
export const WebStartExtractionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebStartExtraction"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StartExtractionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startExtraction"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebJob"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebUserError"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExtractionJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"framesExtracted"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}},{"kind":"Field","name":{"kind":"Name","value":"options"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"timestamps"}},{"kind":"Field","name":{"kind":"Name","value":"timestampUnit"}},{"kind":"Field","name":{"kind":"Name","value":"sceneThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"quality"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"startSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"endSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"includeFrames"}},{"kind":"Field","name":{"kind":"Name","value":"storyboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"tileWidth"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contactSheet"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"animated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gif"}},{"kind":"Field","name":{"kind":"Name","value":"fromSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"toSeconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"frameCount"}},{"kind":"Field","name":{"kind":"Name","value":"archiveSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebUserError"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]} as unknown as DocumentNode<WebStartExtractionMutation, WebStartExtractionMutationVariables>;
export const WebCancelJobDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebCancelJob"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CancelJobInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebJob"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebUserError"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExtractionJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"framesExtracted"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}},{"kind":"Field","name":{"kind":"Name","value":"options"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"timestamps"}},{"kind":"Field","name":{"kind":"Name","value":"timestampUnit"}},{"kind":"Field","name":{"kind":"Name","value":"sceneThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"quality"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"startSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"endSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"includeFrames"}},{"kind":"Field","name":{"kind":"Name","value":"storyboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"tileWidth"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contactSheet"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"animated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gif"}},{"kind":"Field","name":{"kind":"Name","value":"fromSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"toSeconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"frameCount"}},{"kind":"Field","name":{"kind":"Name","value":"archiveSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebUserError"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]} as unknown as DocumentNode<WebCancelJobMutation, WebCancelJobMutationVariables>;
export const WebRetryJobDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebRetryJob"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RetryJobInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebJob"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebUserError"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExtractionJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"framesExtracted"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}},{"kind":"Field","name":{"kind":"Name","value":"options"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"timestamps"}},{"kind":"Field","name":{"kind":"Name","value":"timestampUnit"}},{"kind":"Field","name":{"kind":"Name","value":"sceneThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"quality"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"startSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"endSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"includeFrames"}},{"kind":"Field","name":{"kind":"Name","value":"storyboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"tileWidth"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contactSheet"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"animated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gif"}},{"kind":"Field","name":{"kind":"Name","value":"fromSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"toSeconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"frameCount"}},{"kind":"Field","name":{"kind":"Name","value":"archiveSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebUserError"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]} as unknown as DocumentNode<WebRetryJobMutation, WebRetryJobMutationVariables>;
export const WebDeleteVideoDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebDeleteVideo"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteVideoInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteVideo"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deletedVideoId"}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebUserError"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebUserError"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]} as unknown as DocumentNode<WebDeleteVideoMutation, WebDeleteVideoMutationVariables>;
export const WebViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebViewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<WebViewerQuery, WebViewerQueryVariables>;
export const WebVideosDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebVideos"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"VideoStatus"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"videos"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebVideo"}},{"kind":"Field","name":{"kind":"Name","value":"latestJob"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"framesExtracted"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebVideo"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Video"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"filename"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"rejectionReason"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"frameRate"}},{"kind":"Field","name":{"kind":"Name","value":"videoCodec"}},{"kind":"Field","name":{"kind":"Name","value":"formatName"}}]}}]}}]} as unknown as DocumentNode<WebVideosQuery, WebVideosQueryVariables>;
export const WebVideoDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebVideo"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"video"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebVideo"}},{"kind":"Field","name":{"kind":"Name","value":"jobs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebJob"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebVideo"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Video"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"filename"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"rejectionReason"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"frameRate"}},{"kind":"Field","name":{"kind":"Name","value":"videoCodec"}},{"kind":"Field","name":{"kind":"Name","value":"formatName"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExtractionJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"framesExtracted"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}},{"kind":"Field","name":{"kind":"Name","value":"options"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"timestamps"}},{"kind":"Field","name":{"kind":"Name","value":"timestampUnit"}},{"kind":"Field","name":{"kind":"Name","value":"sceneThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"quality"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"startSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"endSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"includeFrames"}},{"kind":"Field","name":{"kind":"Name","value":"storyboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"tileWidth"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contactSheet"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"animated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gif"}},{"kind":"Field","name":{"kind":"Name","value":"fromSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"toSeconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"frameCount"}},{"kind":"Field","name":{"kind":"Name","value":"archiveSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}}]}}]}}]} as unknown as DocumentNode<WebVideoQuery, WebVideoQueryVariables>;
export const WebJobFramesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebJobFrames"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"job"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"frameCount"}},{"kind":"Field","name":{"kind":"Name","value":"frames"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<WebJobFramesQuery, WebJobFramesQueryVariables>;
export const WebJobUpdatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WebJobUpdates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"replaySeconds"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myJobUpdates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"replaySeconds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"replaySeconds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebJob"}},{"kind":"Field","name":{"kind":"Name","value":"video"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"frameRate"}},{"kind":"Field","name":{"kind":"Name","value":"videoCodec"}},{"kind":"Field","name":{"kind":"Name","value":"formatName"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExtractionJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"framesExtracted"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}},{"kind":"Field","name":{"kind":"Name","value":"options"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"timestamps"}},{"kind":"Field","name":{"kind":"Name","value":"timestampUnit"}},{"kind":"Field","name":{"kind":"Name","value":"sceneThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"quality"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"startSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"endSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"includeFrames"}},{"kind":"Field","name":{"kind":"Name","value":"storyboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"tileWidth"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contactSheet"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"animated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gif"}},{"kind":"Field","name":{"kind":"Name","value":"fromSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"toSeconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"frameCount"}},{"kind":"Field","name":{"kind":"Name","value":"archiveSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}}]}}]}}]} as unknown as DocumentNode<WebJobUpdatesSubscription, WebJobUpdatesSubscriptionVariables>;