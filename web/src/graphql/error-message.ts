import type { CombinedError } from "urql";

/** A failed operation in words a user understands (never a stack trace). */
export function errorMessage(error: CombinedError | undefined): string | null {
  if (!error) return null;
  if (error.networkError) return "The server could not be reached. Check your connection and try again.";
  const first = error.graphQLErrors[0];
  if (first?.extensions?.code === "UNAUTHENTICATED") return "Your session has ended. Log in again.";
  return first?.message ?? "Something went wrong. Try again.";
}
