/** The accounts REST routes (/api/v1/accounts/*), same origin; errors carry the server's words. */
export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds the access token lives. */
  readonly expiresIn: number;
}

export class AccountsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "AccountsError";
  }
}

const NETWORK_MESSAGE = "The server could not be reached. Check your connection and try again.";

async function post<T>(path: string, body: object, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1/accounts/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  } catch {
    throw new AccountsError("NETWORK", NETWORK_MESSAGE, 0);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    throw new AccountsError(
      typeof error?.code === "string" ? error.code : `HTTP_${res.status}`,
      typeof error?.message === "string" ? error.message : `The server answered ${res.status}.`,
      res.status,
    );
  }
  return parsed as T;
}

export interface SignUpAnswer {
  readonly confirmationRequired: boolean;
  readonly message: string;
}

export const accountsApi = {
  signUp: (email: string, password: string) => post<SignUpAnswer>("signup", { email, password }),
  confirm: (email: string, code: string) => post<{ confirmed: boolean }>("confirm", { email, code }),
  logIn: (email: string, password: string) => post<Tokens>("login", { email, password }),
  refresh: (refreshToken: string) => post<Tokens>("refresh", { refreshToken }),
  logOut: (accessToken: string, refreshToken: string) =>
    post<{ signedOut: boolean }>("logout", { refreshToken }, { authorization: `Bearer ${accessToken}` }),
};
export type AccountsApi = typeof accountsApi;
