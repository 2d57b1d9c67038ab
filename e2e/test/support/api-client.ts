import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  CompleteVideoUploadDocument,
  CreateVideoUploadDocument,
  JobDocument,
  JobUpdatedDocument,
  type CompleteVideoUploadMutation,
  type ExtractionOptionsInput,
} from "@vp/client";
import {
  createClient,
  HttpError,
  UserErrorsError,
  type Client,
  type ExecutionResult,
  type FetchLike,
  type Job,
} from "@vp/client";

export type GqlResponse<T> = ExecutionResult<T>;

/**
 * The tests assert nullability at run time (`expect(job).toBeNull()`), so their view of results
 * treats every field as present: a null where a value was expected fails the assertion, not tsc.
 */
export type Present<T> =
  T extends ReadonlyArray<infer U>
    ? Array<Present<U>>
    : T extends object
      ? { -readonly [K in keyof T]-?: Present<NonNullable<T[K]>> }
      : NonNullable<T>;

/**
 * The e2e tests' view of the API, over the generated typed client (@vp/client): every run of
 * the e2e suite exercises the client as a user's program would.
 */
export class ApiClient {
  token: string | null = null;
  readonly sdk: Client;

  /** `fetch`: what the client's GraphQL and accounts calls go through (a test may record them). */
  constructor(
    readonly baseUrl: string,
    options: { readonly fetch?: FetchLike } = {},
  ) {
    // getToken is re-read before every request and socket connection, so tests may swap `token`.
    this.sdk = createClient({
      url: baseUrl,
      getToken: () => this.token ?? "",
      wsRetryAttempts: 0,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /** The raw status and JSON body of an accounts call, refusals included. */
  async account(
    path: "signup" | "login" | "confirm" | "refresh",
    body: Record<string, string>,
  ): Promise<{ status: number; body: any }> {
    const { accounts } = this.sdk;
    try {
      const calls = {
        signup: async () => ({
          status: 202,
          body: await accounts.signup({ email: body.email!, password: body.password! }),
        }),
        login: async () => ({
          status: 200,
          body: await accounts.login({ email: body.email!, password: body.password! }),
        }),
        confirm: async () => ({ status: 200, body: await accounts.confirm({ email: body.email!, code: body.code! }) }),
        refresh: async () => ({ status: 200, body: await accounts.refresh(body.refreshToken!) }),
      };
      return await calls[path]();
    } catch (e) {
      if (e instanceof HttpError) return { status: e.status, body: e.body };
      throw e;
    }
  }

  /** Signs up and logs in; keeps the access token for later calls. */
  async signUpAndLogIn(email: string, password = "correct horse battery 9"): Promise<void> {
    await this.sdk.accounts.signup({ email, password });
    this.token = (await this.sdk.accounts.login({ email, password })).accessToken;
  }

  /** The raw GraphQL result, errors included. */
  gql<T, V>(doc: TypedDocumentNode<T, V>, variables: V): Promise<GqlResponse<T>> {
    return this.sdk.execute(doc, variables);
  }

  /** Like gql, but fails the test on any GraphQL error. */
  data<T, V>(doc: TypedDocumentNode<T, V>, variables: V): Promise<Present<T>> {
    return this.sdk.request(doc, variables) as Promise<Present<T>>;
  }

  /** uploadVideo (create, stream to the signed URL, complete); a refusal answers the payload instead of throwing. */
  async upload(
    path: string,
    extraction: ExtractionOptionsInput,
    filename = "clip.mp4",
  ): Promise<Present<CompleteVideoUploadMutation["completeVideoUpload"]>> {
    try {
      const { video, job } = await this.sdk.uploadVideo(path, { extraction, filename, contentType: "video/mp4" });
      return { video, job, userErrors: [] } as Present<CompleteVideoUploadMutation["completeVideoUpload"]>;
    } catch (e) {
      if (e instanceof UserErrorsError && e.operation === "completeVideoUpload")
        return e.payload as Present<CompleteVideoUploadMutation["completeVideoUpload"]>;
      throw e;
    }
  }

  /** A typed subscription, each event wrapped as `{ data }` (errors reject). */
  subscribe<T, V>(doc: TypedDocumentNode<T, V>, variables: V): AsyncIterableIterator<GqlResponse<T>> {
    const inner = this.sdk.subscribe(doc, variables);
    const outer: AsyncIterableIterator<GqlResponse<T>> = {
      next: async () => {
        const step = await inner.next();
        return step.done ? { done: true, value: undefined } : { done: false, value: { data: step.value } };
      },
      return: async () => (await inner.return?.(), { done: true, value: undefined }),
      [Symbol.asyncIterator]: () => outer,
    };
    return outer;
  }

  async close(): Promise<void> {
    await this.sdk.close();
  }
}

/**
 * A bare PUT of arbitrary bytes: the typed client always sends the file's exact size, so the tests
 * that send a wrong size or a tampered URL on purpose go around it.
 */
export const putBytes = (
  upload: { url: string; method: string; headers: ReadonlyArray<{ name: string; value: string }> },
  bytes: Uint8Array<ArrayBuffer>,
) =>
  fetch(upload.url, {
    method: upload.method,
    headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])),
    body: bytes,
  });

// The generated documents, under the names the tests use.
export const CREATE_UPLOAD = CreateVideoUploadDocument;
export const COMPLETE_UPLOAD = CompleteVideoUploadDocument;
export const JOB_QUERY = JobDocument;
export const JOB_UPDATED = JobUpdatedDocument;

/** Follows the job with the typed client's waitForJob until it reaches a terminal status. */
export async function waitForTerminal(client: ApiClient, jobId: string, timeoutMs = 60_000): Promise<Present<Job>> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return (await client.sdk.waitForJob(jobId, { signal, pollIntervalMs: 100 })) as Present<Job>;
  } catch (e) {
    if (signal.aborted) throw new Error(`job ${jobId} not finished after ${timeoutMs} ms`);
    throw e;
  }
}
