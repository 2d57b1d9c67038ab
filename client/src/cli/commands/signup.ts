import { HttpError } from "../../sdk/index.js";
import { emailAndPassword } from "../credentials-input.js";
import { EXIT } from "../io.js";
import { COMMON_HELP, serverCommand } from "../server-command.js";
import { sessionFromTokens } from "../session.js";

export const signupCommand = serverCommand({
  name: "signup",
  summary: "create an account (and log in when it needs no confirmation)",
  usage: `vproc signup [--email EMAIL] [--password PASSWORD]

Creates an account. When the server needs no email confirmation (the local server's default), you
are then logged in. Otherwise check your email for a 6-digit code and run vproc confirm, then
vproc login.

Options:
  --email EMAIL
  --password PASSWORD   (or VPROC_PASSWORD, or the prompt on a terminal)
${COMMON_HELP}

Examples:
  vproc signup
  VPROC_PASSWORD=... vproc signup --email ada@example.com`,
  options: { email: { type: "string" }, password: { type: "string" } },
  positionals: [0, 0],
  async run({ values, io, session, print }) {
    const { email, password } = await emailAndPassword(values, io);
    const { accounts } = session.anonymous();
    // The server answers alike whether or not the address already had an account.
    const accepted = await accounts.signup({ email, password });
    if (accepted.confirmationRequired) {
      print(
        `Check your email (${email}) for a 6-digit code, then: vproc confirm --email ${email} --code CODE, and vproc login.`,
        { ok: true, server: session.server, email, confirmationRequired: true, loggedIn: false },
      );
      return EXIT.OK;
    }
    let tokens;
    try {
      tokens = await accounts.login({ email, password });
    } catch (err) {
      // A taken address with another password: the owner got a mail; say no more than that.
      if (err instanceof HttpError && err.status === 401)
        throw new HttpError(
          401,
          "INVALID_CREDENTIALS",
          "sign-up accepted, but logging in with this password failed: if the address already had an account, its owner got an email (try vproc login)",
          err.body,
        );
      throw err;
    }
    await session.store.set(session.server, sessionFromTokens(email, tokens));
    print(`Signed up; logged in to ${session.server} as ${email}.`, {
      ok: true,
      server: session.server,
      email,
      confirmationRequired: false,
      loggedIn: true,
    });
    return EXIT.OK;
  },
});
