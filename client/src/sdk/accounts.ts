import { httpErrorFrom, networkErrorFrom } from "./errors.js";
import type { FetchLike } from "./http.js";

export interface AuthTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds the access token stays valid. */
  readonly expiresIn: number;
  readonly tokenType: "Bearer";
}

/**
 * The server's one answer to an accepted sign-up (202), whether or not the address already had an
 * account: it never says which. `confirmationRequired` is the server's setting: when false, log
 * in next; when true, enter the mailed code first (vproc confirm).
 */
export interface SignUpAccepted {
  readonly status: "pending";
  readonly confirmationRequired: boolean;
  readonly message: string;
}

export interface AccountsApi {
  signup(input: { email: string; password: string }): Promise<SignUpAccepted>;
  confirm(input: { email: string; code: string }): Promise<{ confirmed: true }>;
  login(input: { email: string; password: string }): Promise<AuthTokens>;
  refresh(refreshToken: string): Promise<AuthTokens>;
  /**
   * Ends the session on the server: its refresh token stops working and its access tokens are
   * refused (within the server's stated bound). Pass either or both; idempotent.
   */
  logout(input: { refreshToken?: string; accessToken?: string }): Promise<{ signedOut: true }>;
}

/** The accounts REST API (POST /api/v1/accounts/*). Refusals throw HttpError with the server's code (INVALID_CREDENTIALS, ...). */
export function createAccountsApi(baseUrl: string, fetchImpl: FetchLike): AccountsApi {
  const post = async <T>(path: string, body: unknown, bearer?: string): Promise<T> => {
    const url = `${baseUrl}/api/v1/accounts/${path}`;
    let res: Response;
    let text: string;
    try {
      res = await fetchImpl(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(bearer !== undefined ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify(body),
      });
      text = await res.text();
    } catch (err) {
      throw networkErrorFrom(url, err);
    }
    if (!res.ok) throw httpErrorFrom(res.status, res.statusText, text);
    return JSON.parse(text) as T;
  };
  return {
    signup: (input) => post("signup", input),
    confirm: (input) => post("confirm", input),
    login: (input) => post("login", input),
    refresh: (refreshToken) => post("refresh", { refreshToken }),
    logout: ({ refreshToken, accessToken }) =>
      post("logout", refreshToken !== undefined ? { refreshToken } : {}, accessToken),
  };
}
