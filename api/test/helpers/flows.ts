import { fromGlobalId } from "@vp/domain";
import { COMPLETE_UPLOAD, CREATE_UPLOAD } from "./operations.js";
import { dataOf, type TestEnv } from "./env.js";

export interface UserErrorOut {
  field: string[] | null;
  message: string;
  code: string;
}

export interface CreatedUpload {
  video: { id: string; status: string } | null;
  upload: {
    url: string;
    method: string;
    headers: Array<{ name: string; value: string }>;
    expiresAt: string;
  } | null;
  userErrors: UserErrorOut[];
}

export interface CompletedUpload {
  video: {
    id: string;
    status: string;
    rejectionReason: string | null;
    metadata: { durationSeconds: number; width: number } | null;
  } | null;
  job: { id: string; status: string; video: { id: string } | null } | null;
  userErrors: UserErrorOut[];
}

export const rawId = (globalId: string): string => {
  const decoded = fromGlobalId(globalId);
  if (decoded === null) throw new Error(`not a global id: ${globalId}`);
  return decoded.id;
};

export async function createUpload(
  env: TestEnv,
  userId: string,
  input: Record<string, unknown>,
): Promise<CreatedUpload> {
  return dataOf<CreatedUpload>(await env.exec(userId, CREATE_UPLOAD, { input }), "createVideoUpload");
}

export async function complete(env: TestEnv, userId: string, videoId: string): Promise<CompletedUpload> {
  return dataOf<CompletedUpload>(
    await env.exec(userId, COMPLETE_UPLOAD, { input: { videoId } }),
    "completeVideoUpload",
  );
}

/** Create, store the bytes straight into the blob store (the signed PUT is covered by the HTTP tests), complete. */
export async function uploadVideo(
  env: TestEnv,
  userId: string,
  bytes: Buffer,
  extraction?: Record<string, unknown>,
): Promise<{
  created: CreatedUpload;
  completed: CompletedUpload;
  videoId: string;
}> {
  const created = await createUpload(env, userId, {
    filename: "clip.mp4",
    contentType: "video/mp4",
    sizeBytes: bytes.length,
    ...(extraction ? { extraction } : {}),
  });
  if (created.video === null) throw new Error(`upload refused: ${JSON.stringify(created.userErrors)}`);
  const video = await env.platform.videos.findById(rawId(created.video.id));
  if (video === null) throw new Error("video record missing");
  await env.platform.blobs.videos.put(video.blobKey, bytes, {
    contentType: "video/mp4",
  });
  const completed = await complete(env, userId, created.video.id);
  return { created, completed, videoId: created.video.id };
}
