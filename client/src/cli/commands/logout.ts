import { EXIT } from "../io.js";
import { COMMON_HELP, serverCommand } from "../server-command.js";

export const logoutCommand = serverCommand({
  name: "logout",
  summary: "forget the stored tokens for a server",
  usage: `vproc logout

Deletes the stored session for the server from the credentials file.

${COMMON_HELP}

Example:
  vproc logout --server https://frames.example.com`,
  positionals: [0, 0],
  async run({ session, print }) {
    const had = await session.store.delete(session.server);
    print(had ? `Logged out of ${session.server}.` : `Not logged in to ${session.server}; nothing to do.`, {
      ok: true,
      server: session.server,
      wasLoggedIn: had,
    });
    return EXIT.OK;
  },
});
