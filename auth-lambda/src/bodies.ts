import { z } from "zod";

// Shapes only: what makes an email valid or a password strong is the IdentityProvider's call.
const email = z.string({ error: "email must be a string" }).min(1, "email is required").max(320, "email is too long");
const password = z
  .string({ error: "password must be a string" })
  .min(1, "password is required")
  .max(1024, "password is too long");

export const signUpBody = z.object({ email, password });
export const confirmBody = z.object({
  email,
  code: z.string({ error: "code must be a string" }).regex(/^\d{6}$/, "code must be the 6 digits from the email"),
});
export const loginBody = z.object({ email, password });
const refreshToken = z
  .string({ error: "refreshToken must be a string" })
  .min(1, "refreshToken is required")
  .max(4096, "refreshToken is too long");
export const refreshBody = z.object({ refreshToken });
/** The session to end: its refresh token here and/or an access token as `Authorization: Bearer`. */
export const logoutBody = z.object({ refreshToken: refreshToken.optional() });
