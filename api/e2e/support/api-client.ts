import { readFile } from "node:fs/promises";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export interface GqlResponse<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** A bare-hands client over real HTTP and WebSocket: what any GraphQL client would send. */
export class ApiClient {
  token: string | null = null;
  private ws: Client | null = null;

  constructor(readonly baseUrl: string) {}

  async account(path: "signup" | "login" | "confirm" | "refresh", body: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}/api/v1/accounts/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  /** Signs up and logs in; keeps the access token for later calls. */
  async signUpAndLogIn(email: string, password = "correct horse battery 9"): Promise<void> {
    const signup = await this.account("signup", { email, password });
    if (signup.status !== 201) throw new Error(`signup failed: ${JSON.stringify(signup.body)}`);
    const login = await this.account("login", { email, password });
    if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
    this.token = login.body.accessToken as string;
  }

  async gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<GqlResponse<T>> {
    const res = await fetch(`${this.baseUrl}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResponse<T>;
  }

  /** Like gql, but fails the test on any GraphQL error. */
  async data<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await this.gql<T>(query, variables);
    if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data;
  }

  /** Creates an upload, PUTs the file to the signed URL, completes it. */
  async upload(path: string, extraction: Record<string, unknown>, filename = "clip.mp4") {
    const bytes = new Uint8Array(await readFile(path));
    const created = await this.data(CREATE_UPLOAD, {
      input: { filename, contentType: "video/mp4", sizeBytes: bytes.length, extraction },
    });
    const { video, upload, userErrors } = created.createVideoUpload;
    if (userErrors.length) throw new Error(`createVideoUpload: ${JSON.stringify(userErrors)}`);
    const put = await putBytes(upload, bytes);
    if (put.status !== 200) throw new Error(`upload PUT answered ${put.status}: ${await put.text()}`);
    const done = await this.data(COMPLETE_UPLOAD, { input: { videoId: video.id } });
    return done.completeVideoUpload as { video: any; job: any; userErrors: any[] };
  }

  subscribe<T = any>(query: string, variables: Record<string, unknown>): AsyncIterableIterator<GqlResponse<T>> {
    this.ws ??= createClient({
      url: `${this.baseUrl.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: () => (this.token ? { authorization: `Bearer ${this.token}` } : {}),
      retryAttempts: 0,
    });
    return this.ws.iterate<T>({ query, variables }) as AsyncIterableIterator<GqlResponse<T>>;
  }

  async close(): Promise<void> {
    await this.ws?.dispose();
  }
}

export const putBytes = (upload: { url: string; method: string; headers: Array<{ name: string; value: string }> }, bytes: Uint8Array<ArrayBuffer>) =>
  fetch(upload.url, {
    method: upload.method,
    headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])),
    body: bytes,
  });

export const JOB_FIELDS = `
  id status progress framesExtracted attempts
  error { code message retryable }
  result { frameCount archiveSizeBytes downloadUrl downloadUrlExpiresAt }
  createdAt startedAt finishedAt
`;

export const CREATE_UPLOAD = `
  mutation Create($input: CreateVideoUploadInput!) {
    createVideoUpload(input: $input) {
      video { id status filename sizeBytes }
      upload { url method headers { name value } expiresAt }
      userErrors { field message code }
    }
  }`;

export const COMPLETE_UPLOAD = `
  mutation Complete($input: CompleteVideoUploadInput!) {
    completeVideoUpload(input: $input) {
      video { id status rejectionReason metadata { durationSeconds width height frameRate videoCodec rotation } }
      job { ${JOB_FIELDS} }
      userErrors { field message code }
    }
  }`;

export const JOB_QUERY = `query Job($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`;

export const JOB_UPDATED = `subscription Updated($jobId: ID!) { jobUpdated(jobId: $jobId) { ${JOB_FIELDS} } }`;

/** Polls until the job reaches a terminal status. */
export async function waitForTerminal(client: ApiClient, jobId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { job } = await client.data(JOB_QUERY, { id: jobId });
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
