import { httpErrorFrom, networkErrorFrom } from "./errors.js";
import type { FetchLike } from "./http.js";

export interface AuthTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds the access token stays valid. */
  readonly expiresIn: number;
  readonly tokenType: "Bearer";
}

export interface AccountsApi {
  signup(input: { email: string; password: string }): Promise<{ userId: string; confirmed: boolean }>;
  confirm(input: { email: string; code: string }): Promise<{ confirmed: true }>;
  login(input: { email: string; password: string }): Promise<AuthTokens>;
  refresh(refreshToken: string): Promise<AuthTokens>;
}

/** The accounts REST API (POST /api/v1/accounts/*). Refusals throw HttpError with the server's code (INVALID_CREDENTIALS, ...). */
export function createAccountsApi(baseUrl: string, fetchImpl: FetchLike): AccountsApi {
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const url = `${baseUrl}/api/v1/accounts/${path}`;
    let res: Response;
    let text: string;
    try {
      res = await fetchImpl(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
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
  };
}
