/** GraphQL documents shared by the tests. */
export const JOB_FIELDS = `id status progress framesExtracted attempts error { code message retryable }
  options { mode intervalSeconds format quality } createdAt startedAt finishedAt`;

export const CREATE_UPLOAD = `mutation($input: CreateVideoUploadInput!) {
  createVideoUpload(input: $input) {
    video { id filename contentType sizeBytes status extraction { mode intervalSeconds format quality fit } }
    upload { url method headers { name value } expiresAt }
    userErrors { field message code }
  }
}`;

export const COMPLETE_UPLOAD = `mutation($input: CompleteVideoUploadInput!) {
  completeVideoUpload(input: $input) {
    video { id status rejectionReason metadata { durationSeconds width height frameRate videoCodec rotation } }
    job { ${JOB_FIELDS} video { id } }
    userErrors { field message code }
  }
}`;

export const CANCEL_JOB = `mutation($id: ID!) { cancelJob(input: { jobId: $id }) { job { id status error { code } } userErrors { field message code } } }`;
export const RETRY_JOB = `mutation($id: ID!) { retryJob(input: { jobId: $id }) { job { id status progress framesExtracted error { code } finishedAt } userErrors { field message code } } }`;

export const JOB_UPDATED = `subscription($id: ID!) { jobUpdated(jobId: $id) { id status progress framesExtracted } }`;
export const MY_JOB_UPDATES = `subscription { myJobUpdates { id status progress } }`;
