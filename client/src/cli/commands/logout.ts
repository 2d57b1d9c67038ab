import { HttpError } from "../../sdk/index.js";
import { EXIT } from "../io.js";
import { COMMON_HELP, serverCommand } from "../server-command.js";

export const logoutCommand = serverCommand({
  name: "logout",
  summary: "end the session on the server and forget the stored tokens",
  usage: `vproc logout

Ends the session on the server (its refresh token stops working and its access tokens are
refused), then deletes it from the credentials file. When the server cannot be reached, the
local copy is deleted anyway, with a warning: the session then ends only when it expires.

${COMMON_HELP}

Example:
  vproc logout --server https://frames.example.com`,
  positionals: [0, 0],
  async run({ session, print, io }) {
    const stored = await session.store.get(session.server);
    let signedOutOnServer = false;
    let warning: string | null = null;
    if (stored) {
      try {
        await session.anonymous().accounts.logout({
          refreshToken: stored.refreshToken,
          accessToken: stored.accessToken,
        });
        signedOutOnServer = true;
      } catch (err) {
        // Never keep tokens the user asked to forget: warn and delete them all the same.
        const why = err instanceof HttpError ? `the server answered ${err.status}` : (err as Error).message;
        warning = `could not end the session on ${session.server} (${why}); it stays valid there until it expires.`;
        io.stderr.write(`vproc logout: warning: ${warning}\n`);
      }
    }
    const had = await session.store.delete(session.server);
    print(
      had
        ? signedOutOnServer
          ? `Logged out of ${session.server}.`
          : `Forgot the local session for ${session.server}.`
        : `Not logged in to ${session.server}; nothing to do.`,
      {
        ok: true,
        server: session.server,
        wasLoggedIn: had,
        signedOutOnServer,
        ...(warning !== null ? { warning } : {}),
      },
    );
    return EXIT.OK;
  },
});
