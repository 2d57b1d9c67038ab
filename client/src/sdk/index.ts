export {
  createClient,
  isTerminal,
  TERMINAL_STATUSES,
  type Client,
  type ClientOptions,
  type Frame,
  type FramePage,
  type Job,
  type UploadOptions,
  type UploadedVideo,
  type WaitOptions,
} from "./client.js";
export { createAccountsApi, type AccountsApi, type AuthTokens, type SignUpAccepted } from "./accounts.js";
export {
  ClientError,
  GraphQLRequestError,
  HttpError,
  NetworkError,
  UserErrorsError,
  type GraphQLErrorEntry,
  type UserErrorEntry,
} from "./errors.js";
export { type ExecutionResult, type FetchLike } from "./http.js";
export { guessContentType } from "./content-type.js";
export { type ByteProgress } from "./transfer.js";
