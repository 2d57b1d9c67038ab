import { emailAndPassword } from "../credentials-input.js";
import { EXIT } from "../io.js";
import { COMMON_HELP, serverCommand } from "../server-command.js";
import { sessionFromTokens } from "../session.js";

export const loginCommand = serverCommand({
  name: "login",
  summary: "log in and keep the tokens for the other commands",
  usage: `vproc login [--email EMAIL] [--password PASSWORD]

Logs in to the server and stores the tokens in $XDG_CONFIG_HOME/vproc/credentials.json
(~/.config/vproc/credentials.json), readable only by you, one session per server. They are
refreshed automatically when they expire. On a terminal, missing values are asked for (the
password is not echoed); elsewhere pass --email and --password or set VPROC_PASSWORD.

Options:
  --email EMAIL
  --password PASSWORD   (prefer VPROC_PASSWORD or the prompt: arguments show up in ps)
${COMMON_HELP}

Examples:
  vproc login
  VPROC_PASSWORD=... vproc login --email ada@example.com --server https://frames.example.com`,
  options: { email: { type: "string" }, password: { type: "string" } },
  positionals: [0, 0],
  async run({ values, io, session, print }) {
    const { email, password } = await emailAndPassword(values, io);
    const tokens = await session.anonymous().accounts.login({ email, password });
    await session.store.set(session.server, sessionFromTokens(email, tokens));
    print(`Logged in to ${session.server} as ${email}.`, { ok: true, server: session.server, email });
    return EXIT.OK;
  },
});
