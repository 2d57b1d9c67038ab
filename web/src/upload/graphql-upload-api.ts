import type { Client } from "urql";
import {
  WebCompleteVideoUploadDocument,
  WebCreateVideoUploadDocument,
  WebDeleteVideoDocument,
} from "../generated/graphql.js";
import { errorMessage } from "../graphql/error-message.js";
import type { UploadApi } from "./upload-manager.js";

/** UploadApi on the GraphQL mutations; transport failures become one problem in words. */
export function graphqlUploadApi(client: Client): UploadApi {
  return {
    async create(file, extraction) {
      const r = await client
        .mutation(WebCreateVideoUploadDocument, {
          input: {
            filename: file.name,
            contentType: file.type || "application/octet-stream",
            sizeBytes: file.size,
            extraction,
          },
        })
        .toPromise();
      const payload = r.data?.createVideoUpload;
      if (!payload) return { problems: [{ message: errorMessage(r.error) ?? "The upload could not start." }] };
      if (payload.userErrors.length > 0 || !payload.video || !payload.upload) return { problems: payload.userErrors };
      return { videoId: payload.video.id, upload: payload.upload };
    },
    async complete(videoId, multipart) {
      const r = await client
        .mutation(WebCompleteVideoUploadDocument, { input: { videoId, ...(multipart ? { multipart } : {}) } })
        .toPromise();
      const payload = r.data?.completeVideoUpload;
      if (!payload) return [{ message: errorMessage(r.error) ?? "The upload could not be completed." }];
      return payload.userErrors;
    },
    async remove(videoId) {
      await client.mutation(WebDeleteVideoDocument, { input: { videoId } }).toPromise();
    },
  };
}
