import { emailAndPassword } from "../credentials-input.js";
import { EXIT } from "../io.js";
import { COMMON_HELP, serverCommand } from "../server-command.js";
import { sessionFromTokens } from "../session.js";

export const signupCommand = serverCommand({
  name: "signup",
  summary: "create an account (and log in when it needs no confirmation)",
  usage: `vproc signup [--email EMAIL] [--password PASSWORD]

Creates an account. When the server confirms it at once (the local server does), you are also
logged in. Otherwise check your email for a 6-digit code and run vproc confirm, then vproc login.

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
    const created = await accounts.signup({ email, password });
    if (!created.confirmed) {
      print(
        `Account created for ${email}. Enter the code from your email: vproc confirm --email ${email} --code CODE`,
        {
          ok: true,
          server: session.server,
          email,
          userId: created.userId,
          confirmed: false,
          loggedIn: false,
        },
      );
      return EXIT.OK;
    }
    await session.store.set(session.server, sessionFromTokens(email, await accounts.login({ email, password })));
    print(`Account created; logged in to ${session.server} as ${email}.`, {
      ok: true,
      server: session.server,
      email,
      userId: created.userId,
      confirmed: true,
      loggedIn: true,
    });
    return EXIT.OK;
  },
});
