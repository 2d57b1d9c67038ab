import { DomainError } from "@vp/domain";

/** Lowercased, trimmed: one account per address whatever case the user types. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

// Pragmatic syntax check (not RFC 5322): one @, no spaces, a dotted domain of sane labels.
const EMAIL_RE = /^[^\s@"(),:;<>[\\\]]+@(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Throws INVALID_EMAIL; returns the normalized address. */
export function assertValidEmail(email: string): string {
  const normalized = normalizeEmail(email);
  const local = normalized.split("@")[0] ?? "";
  if (normalized.length > 254 || local.length > 64 || !EMAIL_RE.test(normalized)) {
    throw new DomainError("INVALID_EMAIL", "Enter a valid email address, like name@example.com.", ["email"]);
  }
  return normalized;
}

export const PASSWORD_MIN_LENGTH = 8;
/** Bounded so a megabyte "password" cannot make scrypt (or us) do silly work. */
export const PASSWORD_MAX_LENGTH = 256;

/** Throws WEAK_PASSWORD with a message that says exactly what to change. */
export function assertAcceptablePassword(password: string, normalizedEmail: string): void {
  const weak = (message: string) => new DomainError("WEAK_PASSWORD", message, ["password"]);
  if (password.length < PASSWORD_MIN_LENGTH)
    throw weak(`The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`);
  if (password.length > PASSWORD_MAX_LENGTH)
    throw weak(`The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 2) {
    throw weak("The password must mix at least two kinds of characters (lowercase, uppercase, digits, symbols).");
  }
  const lowered = password.trim().toLowerCase();
  if (lowered === normalizedEmail || lowered === normalizedEmail.split("@")[0]) {
    throw weak("The password must not be your email address.");
  }
}
