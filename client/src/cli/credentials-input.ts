import { UsageError, type CliIo } from "./io.js";
import { ask, canPrompt } from "./prompt.js";
import { str, type FlagValues } from "./server-command.js";

/** --email/--password (or VPROC_PASSWORD); on a terminal, whatever is missing is asked for, the password hidden. */
export async function emailAndPassword(values: FlagValues, io: CliIo): Promise<{ email: string; password: string }> {
  let email = str(values, "email");
  let password = str(values, "password") ?? io.env.VPROC_PASSWORD;
  if (email === undefined || password === undefined) {
    if (!canPrompt()) throw new UsageError("not a terminal: pass --email and --password (or set VPROC_PASSWORD)");
    email ??= (await ask("Email: ")).trim();
    password ??= await ask("Password: ", { hidden: true });
  }
  if (!email) throw new UsageError("an email is required");
  if (!password) throw new UsageError("a password is required");
  return { email, password };
}
