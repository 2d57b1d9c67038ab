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

/**
 * NIST SP 800-63B 5.1.1.2: at least 8 characters, long passphrases welcome (up to 256), no
 * composition rules, and a check against common and breached-looking passwords (zxcvbn-ts with
 * its common dictionaries: a guess-count estimate that also sees keyboard walks, sequences,
 * repeats, dates, l33t and the user's own email).
 */
export const PASSWORD_MIN_LENGTH = 8;
/** Bounded so a megabyte "password" cannot make scrypt (or us) do silly work. */
export const PASSWORD_MAX_LENGTH = 256;
/**
 * zxcvbn score a password needs (0-4). 3 means more than 10^8 guesses: "safely unguessable", safe
 * against throttled online guessing and costly offline against our scrypt hashes. `password1`
 * (0), `12345678a` (1) and `Summer2024!` (1) fall below; a 4-word passphrase scores 4, and a
 * random string needs about 9 characters.
 */
export const PASSWORD_MIN_SCORE = 3;
/**
 * zxcvbn looks at this many characters (its matching grows quadratically with length: ~0.1-0.3 s
 * of CPU at 100 characters of digits on a small machine); a longer password that passes on its
 * first 64 is long enough. l33t variants are capped for the same reason.
 */
const STRENGTH_CHECK_CHARS = 64;
const L33T_MAX_SUBSTITUTIONS = 10;

type Checker = (password: string, userInputs: string[]) => { score: number; warning: string | null };
let checker: Promise<Checker> | null = null;

/** The dictionaries (~240 KB gzip) load on the first check, once per process, never in a browser. */
function loadChecker(): Promise<Checker> {
  checker ??= (async () => {
    const [{ ZxcvbnFactory }, common] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
    ]);
    const zxcvbn = new ZxcvbnFactory({
      dictionary: { ...common.dictionary },
      graphs: common.adjacencyGraphs,
      maxLength: STRENGTH_CHECK_CHARS,
      l33tMaxSubstitutions: L33T_MAX_SUBSTITUTIONS,
    });
    return (password, userInputs) => {
      const result = zxcvbn.check(password, userInputs);
      return { score: result.score, warning: result.feedback.warning };
    };
  })();
  checker.catch(() => (checker = null));
  return checker;
}

/** Why zxcvbn refused, in words (its feedback comes as keys without the English pack). */
const WARNINGS: Record<string, string> = {
  topTen: "it is one of the ten most used passwords",
  topHundred: "it is one of the hundred most used passwords",
  common: "it is a commonly used password",
  similarToCommon: "it is very close to a commonly used password",
  wordByItself: "a single word is easy to guess",
  namesByThemselves: "a single name is easy to guess",
  commonNames: "common names are easy to guess",
  userInputs: "it contains your email address",
  straightRow: "it is a straight row of keys",
  keyPattern: "it is a short keyboard pattern",
  simpleRepeat: 'it repeats characters ("aaa")',
  extendedRepeat: 'it repeats a pattern ("abcabcabc")',
  sequences: 'it is a sequence ("abc", "6543")',
  recentYears: "it uses a recent year",
  dates: "it uses a date",
};

/** Throws WEAK_PASSWORD with a message that says exactly what to change. */
export async function assertAcceptablePassword(password: string, normalizedEmail: string): Promise<void> {
  const weak = (message: string) => new DomainError("WEAK_PASSWORD", message, ["password"]);
  // Counted in code points, as people count characters (NIST: Unicode allowed, each counts as one).
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) throw weak(`The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`);
  if (length > PASSWORD_MAX_LENGTH) throw weak(`The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`);
  const lowered = password.trim().toLowerCase();
  const local = normalizedEmail.split("@")[0] ?? "";
  if (lowered === normalizedEmail || lowered === local) {
    throw weak("The password must not be your email address.");
  }
  const check = await loadChecker();
  const { score, warning } = check(password, [normalizedEmail, local, "video-processor", "vproc"]);
  if (score < PASSWORD_MIN_SCORE) {
    const why = (warning !== null && WARNINGS[warning]) || "it is too easy to guess";
    throw weak(
      `This password is too easy to guess: ${why}. Use a longer passphrase, such as three or four unrelated words; no symbols or digits are required.`,
    );
  }
}
