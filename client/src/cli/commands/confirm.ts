import { EXIT, UsageError } from "../io.js";
import { COMMON_HELP, serverCommand, str } from "../server-command.js";

export const confirmCommand = serverCommand({
  name: "confirm",
  summary: "confirm a new account with the code from the email",
  usage: `vproc confirm --email EMAIL --code CODE

Confirms an account created by vproc signup on a server that mails a code. Then run vproc login.

Options:
  --email EMAIL
  --code CODE     the 6 digits from the email
${COMMON_HELP}

Example:
  vproc confirm --email ada@example.com --code 123456`,
  options: { email: { type: "string" }, code: { type: "string" } },
  positionals: [0, 0],
  async run({ values, session, print }) {
    const email = str(values, "email");
    const code = str(values, "code");
    if (!email || !code) throw new UsageError("pass --email and --code");
    await session.anonymous().accounts.confirm({ email, code });
    print(`Confirmed ${email}; now run vproc login.`, { ok: true, email });
    return EXIT.OK;
  },
});
