import { cacheExchange, type Cache, type CacheExchangeOpts } from "@urql/exchange-graphcache";
import { relayPagination } from "@urql/exchange-graphcache/extras";

/** Value objects without an id live inside their parent entity. */
const EMBEDDED = [
  "VideoMetadata",
  "ExtractionResult",
  "ExtractionOptions",
  "StoryboardOptions",
  "ContactSheetOptions",
  "AnimatedPreviewOptions",
  "ExtractionJobError",
  "ExtractionJobConnection",
  "ExtractionJobEdge",
  "VideoConnection",
  "VideoEdge",
  "PageInfo",
  "UploadTarget",
  "MultipartUpload",
  "UploadPart",
  "HttpHeader",
  "UserError",
  "FrameConnection",
  "FrameEdge",
  "Frame",
  "CreateVideoUploadPayload",
  "CompleteVideoUploadPayload",
  "StartExtractionPayload",
  "CancelJobPayload",
  "RetryJobPayload",
  "DeleteVideoPayload",
];

const invalidateVideoLists = (cache: Cache): void => {
  for (const f of cache.inspectFields("Query")) {
    if (f.fieldName === "videos") cache.invalidate("Query", f.fieldName, f.arguments ?? undefined);
  }
};

const invalidateJobsOf = (cache: Cache, videoId: string): void => {
  const video = { __typename: "Video", id: videoId };
  for (const f of cache.inspectFields(video)) {
    if (f.fieldName === "jobs" || f.fieldName === "latestJob")
      cache.invalidate(video, f.fieldName, f.arguments ?? undefined);
  }
};

const inputOf = (args: Record<string, unknown>): Record<string, unknown> =>
  (args.input as Record<string, unknown> | undefined) ?? {};

/**
 * The normalized cache: jobs and videos are entities by id, so a myJobUpdates event moves every
 * progress bar showing that job; the video list pages merge (Relay); mutations that add or remove
 * entities invalidate the lists they change.
 */
export const cacheOptions: CacheExchangeOpts = {
  keys: Object.fromEntries(EMBEDDED.map((t) => [t, () => null])),
  resolvers: { Query: { videos: relayPagination() }, ExtractionResult: { frames: relayPagination() } },
  updates: {
    Mutation: {
      completeVideoUpload: (_result, _args, cache) => invalidateVideoLists(cache),
      deleteVideo: (_result, args, cache) => {
        const id = inputOf(args).videoId;
        if (typeof id === "string") cache.invalidate({ __typename: "Video", id });
        invalidateVideoLists(cache);
      },
      startExtraction: (_result, args, cache) => {
        const id = inputOf(args).videoId;
        if (typeof id === "string") invalidateJobsOf(cache, id);
      },
    },
  },
};

export const createCache = () => cacheExchange(cacheOptions);
