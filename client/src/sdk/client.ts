import { stat } from "node:fs/promises";
import path from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  CompleteVideoUploadDocument,
  CreateVideoUploadDocument,
  JobDocument,
  JobFramesDocument,
  JobUpdatedDocument,
  type JobFramesQuery,
  type CompleteVideoUploadMutation,
  type ExtractionOptionsInput,
  type JobFieldsFragment,
} from "../generated/graphql.js";
import { createAccountsApi, type AccountsApi } from "./accounts.js";
import { GraphQLRequestError, NetworkError, UserErrorsError } from "./errors.js";
import { dataOrThrow, executeHttp, type ExecutionResult, type FetchLike } from "./http.js";
import { guessContentType } from "./content-type.js";
import { createSubscriptionTransport } from "./subscriptions.js";
import { downloadToFile, putFile, putFileParts, type ByteProgress } from "./transfer.js";

export interface ClientOptions {
  /** The server, e.g. `http://localhost:4000` (a URL ending in `/graphql` works too). */
  readonly url: string;
  /** A fixed access token. */
  readonly token?: string;
  /** Called before every HTTP request and every WebSocket (re)connection; wins over `token`. */
  readonly getToken?: () => string | Promise<string>;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /**
   * WebSocket reconnections before a subscription gives up.
   * @default 5
   */
  readonly wsRetryAttempts?: number;
}

export type UploadedVideo = NonNullable<CompleteVideoUploadMutation["completeVideoUpload"]["video"]>;
export type Job = JobFieldsFragment;
export type JobStatus = Job["status"];

/** One frame of a succeeded job: `url` is a short-lived signed link to its image alone. */
export type Frame = NonNullable<NonNullable<JobFramesQuery["job"]>["result"]>["frames"]["nodes"][number];

export interface FramePage {
  readonly jobStatus: JobStatus;
  /** Empty unless the job SUCCEEDED. */
  readonly frames: readonly Frame[];
  readonly hasNextPage: boolean;
  /** Pass as `after` for the next page. */
  readonly endCursor: string | null;
}

export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
export const isTerminal = (job: Pick<Job, "status">): boolean => TERMINAL_STATUSES.has(job.status);

export interface UploadOptions {
  readonly extraction?: ExtractionOptionsInput;
  /** @default the file's base name */
  readonly filename?: string;
  /** @default guessed from the extension, else application/octet-stream */
  readonly contentType?: string;
}

export interface WaitOptions {
  /** Every state seen: the current one first, then each change. */
  readonly onUpdate?: (job: Job) => void;
  /** Polling interval once the subscription socket has failed. @default 1000 */
  readonly pollIntervalMs?: number;
  readonly signal?: AbortSignal;
}

export interface Client {
  /** One query or mutation over HTTP; GraphQL errors throw GraphQLRequestError, connection failures NetworkError. */
  request<TResult, TVars>(doc: TypedDocumentNode<TResult, TVars>, variables: TVars): Promise<TResult>;
  /** Like request, but answers the raw result, errors included (throws only when there is no GraphQL response). */
  execute<TResult, TVars>(doc: TypedDocumentNode<TResult, TVars>, variables: TVars): Promise<ExecutionResult<TResult>>;
  /** A subscription over graphql-ws; ends when the server completes it, throws on errors. */
  subscribe<TResult, TVars>(doc: TypedDocumentNode<TResult, TVars>, variables: TVars): AsyncIterableIterator<TResult>;
  /**
   * createVideoUpload, then streams the file to the signed URL (or, for a multipart target, each part
   * to its URL, two at a time), then completeVideoUpload. userErrors throw UserErrorsError.
   */
  uploadVideo(
    file: string,
    options?: UploadOptions,
    callbacks?: { readonly onProgress?: ByteProgress; readonly signal?: AbortSignal },
  ): Promise<{ video: UploadedVideo; job: Job }>;
  /** Follows a job until SUCCEEDED, FAILED or CANCELLED (live, polling if the socket fails) and answers its last state. */
  waitForJob(jobId: string, options?: WaitOptions): Promise<Job>;
  /**
   * One page of a job's frames, in index order (`first` 1..100, default 100). No such job of the
   * viewer's throws GraphQLRequestError with code NOT_FOUND.
   */
  frames(jobId: string, page?: { readonly first?: number; readonly after?: string | null }): Promise<FramePage>;
  /** Every frame of a job, page after page. */
  allFrames(jobId: string, options?: { readonly pageSize?: number }): AsyncIterableIterator<Frame>;
  /** Streams a succeeded job's archive (result.downloadUrl) to a file. */
  download(
    downloadUrl: string,
    toFile: string,
    options?: { readonly onProgress?: ByteProgress; readonly signal?: AbortSignal },
  ): Promise<{ bytes: number }>;
  readonly accounts: AccountsApi;
  /** Closes the subscription socket. */
  close(): Promise<void>;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

export function createClient(options: ClientOptions): Client {
  const base = options.url.replace(/\/+$/, "").replace(/\/graphql$/, "");
  const httpUrl = `${base}/graphql`;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const getToken = async (): Promise<string | undefined> =>
    options.getToken ? await options.getToken() : options.token;
  const ws = createSubscriptionTransport({
    url: httpUrl.replace(/^http/, "ws"),
    getToken,
    canRefreshToken: options.getToken !== undefined,
    ...(options.wsRetryAttempts !== undefined ? { retryAttempts: options.wsRetryAttempts } : {}),
  });

  const execute: Client["execute"] = async (doc, variables) =>
    executeHttp({ url: httpUrl, fetch: fetchImpl, token: await getToken() }, doc, variables);
  const request: Client["request"] = async (doc, variables) => dataOrThrow(await execute(doc, variables));

  const client: Client = {
    request,
    execute,
    subscribe: (doc, variables) => ws.subscribe(doc, variables),

    async uploadVideo(file, upload = {}, callbacks = {}) {
      const { size } = await stat(file);
      const created = (
        await request(CreateVideoUploadDocument, {
          input: {
            filename: upload.filename ?? path.basename(file),
            contentType: upload.contentType ?? guessContentType(file),
            sizeBytes: size,
            ...(upload.extraction ? { extraction: upload.extraction } : {}),
          },
        })
      ).createVideoUpload;
      if (created.userErrors.length || !created.video || !created.upload)
        throw new UserErrorsError("createVideoUpload", created.userErrors, created);
      const { multipart } = created.upload;
      // Large files come with one URL per part: sent two at a time, then assembled by completeVideoUpload.
      const parts = multipart
        ? await putFileParts(multipart, file, { ...callbacks, concurrency: 2 })
        : (await putFile(created.upload, file, size, callbacks), null);
      const input = {
        videoId: created.video.id,
        ...(multipart && parts ? { multipart: { uploadId: multipart.uploadId, parts } } : {}),
      };
      const done = (await request(CompleteVideoUploadDocument, { input })).completeVideoUpload;
      if (done.userErrors.length || !done.video || !done.job)
        throw new UserErrorsError("completeVideoUpload", done.userErrors, done);
      return { video: done.video, job: done.job };
    },

    async waitForJob(jobId, wait = {}) {
      const updates = ws.subscribe(JobUpdatedDocument, { jobId });
      const onAbort = (): void => void updates.return?.();
      wait.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        for await (const { jobUpdated } of updates) {
          wait.onUpdate?.(jobUpdated);
          if (isTerminal(jobUpdated)) return jobUpdated;
        }
      } catch (err) {
        // The socket failed for good (not a refusal of the subscription): keep following by polling.
        if (!(err instanceof NetworkError)) throw err;
      } finally {
        wait.signal?.removeEventListener("abort", onAbort);
        await updates.return?.();
      }
      wait.signal?.throwIfAborted();
      let last = "";
      for (;;) {
        const { job } = await request(JobDocument, { id: jobId });
        if (!job) throw new GraphQLRequestError([{ message: `no job ${jobId}`, extensions: { code: "NOT_FOUND" } }]);
        const seen = `${job.status}:${job.progress}:${job.framesExtracted}`;
        if (seen !== last) wait.onUpdate?.(job);
        last = seen;
        if (isTerminal(job)) return job;
        await sleep(wait.pollIntervalMs ?? 1000, wait.signal);
      }
    },

    async frames(jobId, page = {}) {
      const { job } = await request(JobFramesDocument, {
        id: jobId,
        first: page.first ?? 100,
        after: page.after ?? null,
      });
      if (!job) throw new GraphQLRequestError([{ message: `no job ${jobId}`, extensions: { code: "NOT_FOUND" } }]);
      const frames = job.result?.frames;
      return {
        jobStatus: job.status,
        frames: frames?.nodes ?? [],
        hasNextPage: frames?.pageInfo.hasNextPage ?? false,
        endCursor: frames?.pageInfo.endCursor ?? null,
      };
    },

    async *allFrames(jobId, options = {}) {
      let after: string | null = null;
      for (;;) {
        const page: FramePage = await client.frames(jobId, { first: options.pageSize ?? 100, after });
        yield* page.frames;
        if (!page.hasNextPage || page.endCursor === null) return;
        after = page.endCursor;
      }
    },

    download: (url, toFile, opts) => downloadToFile(url, toFile, opts),
    accounts: createAccountsApi(base, fetchImpl),
    close: () => ws.close(),
  };
  return client;
}
