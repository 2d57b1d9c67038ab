import { useState, type FormEvent } from "react";
import { AccountsError, type AccountsApi } from "../auth/accounts-api.js";
import type { SessionStore } from "../auth/session-store.js";
import { Link, navigate } from "../router.js";

interface Props {
  readonly api: AccountsApi;
  readonly sessions: SessionStore;
}

const messageOf = (err: unknown): string =>
  err instanceof AccountsError ? err.message : "Something went wrong. Try again.";

function Credentials(props: {
  readonly email: string;
  readonly password: string;
  readonly onEmail: (v: string) => void;
  readonly onPassword: (v: string) => void;
  readonly newPassword?: boolean;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="email"
          required
          value={props.email}
          onChange={(e) => props.onEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete={props.newPassword ? "new-password" : "current-password"}
          required
          aria-describedby={props.newPassword ? "password-hint" : undefined}
          value={props.password}
          onChange={(e) => props.onPassword(e.target.value)}
        />
        {props.newPassword && (
          <span className="hint" id="password-hint">
            At least 8 characters; a few unrelated words work well.
          </span>
        )}
      </div>
    </>
  );
}

export function LoginPage({ api, sessions }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      sessions.signIn(email, await api.logIn(email, password));
      navigate("/videos", { replace: true });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="auth card" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <form onSubmit={(e) => void submit(e)}>
        <Credentials email={email} password={password} onEmail={setEmail} onPassword={setPassword} />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
      <p>
        No account yet? <Link href="/signup">Create one</Link>
      </p>
    </section>
  );
}

export function SignupPage({ api, sessions }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [step, setStep] = useState<"details" | "confirm">("details");
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const logIn = async () => {
    sessions.signIn(email, await api.logIn(email, password));
    navigate("/videos", { replace: true });
  };
  const run = async (e: FormEvent, work: () => Promise<void>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const signUp = (e: FormEvent) =>
    run(e, async () => {
      const answer = await api.signUp(email, password);
      if (answer.confirmationRequired) {
        setNotice(answer.message);
        setStep("confirm");
      } else await logIn();
    });
  const confirm = (e: FormEvent) =>
    run(e, async () => {
      await api.confirm(email, code.trim());
      await logIn();
    });

  return (
    <section className="auth card" aria-labelledby="signup-title">
      <h1 id="signup-title">Create an account</h1>
      {step === "details" ? (
        <form onSubmit={(e) => void signUp(e)}>
          <Credentials email={email} password={password} onEmail={setEmail} onPassword={setPassword} newPassword />
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" disabled={busy}>
            Sign up
          </button>
        </form>
      ) : (
        <form onSubmit={(e) => void confirm(e)}>
          {notice && <p role="status">{notice}</p>}
          <div className="field">
            <label htmlFor="code">Confirmation code</label>
            <input
              id="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" disabled={busy}>
            Confirm
          </button>
        </form>
      )}
      <p>
        Already have an account? <Link href="/login">Log in</Link>
      </p>
    </section>
  );
}
