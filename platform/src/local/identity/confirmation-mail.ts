import type { Mail } from "../../ports/mailer.js";

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** The code sits alone on its own line so people (and tests) find it at a glance. */
export function confirmationMail(to: string, code: string, validForHours: number): Mail {
  return {
    to,
    subject: `Your video-processor confirmation code: ${code}`,
    text: [
      "Welcome to video-processor.",
      "",
      "Your confirmation code is:",
      "",
      `    ${code}`,
      "",
      `It is valid for ${validForHours} hours. If you did not sign up, ignore this email.`,
      "",
    ].join("\n"),
    html: [
      "<p>Welcome to video-processor.</p>",
      "<p>Your confirmation code is:</p>",
      `<p style="font-size:24px;font-family:monospace;letter-spacing:4px"><strong>${escapeHtml(code)}</strong></p>`,
      `<p>It is valid for ${validForHours} hours. If you did not sign up, ignore this email.</p>`,
    ].join("\n"),
  };
}

/** To the owner of an address someone tried to sign up with again: the news, and what to do. */
export function accountExistsMail(to: string, account: { readonly confirmed: boolean }): Mail {
  const lines = [
    "Someone, maybe you, just tried to create a video-processor account with this email address.",
    "",
    "You already have an account with this address, so nothing was changed.",
    account.confirmed
      ? "If it was you: log in with your existing password."
      : "It is not confirmed yet: sign up again with the password you chose first to get a new confirmation code.",
    "",
    "If it was not you, you can ignore this email: your account and password are unchanged.",
    "",
  ];
  return {
    to,
    subject: "You already have a video-processor account",
    text: lines.join("\n"),
    html: lines
      .filter((l) => l !== "")
      .map((l) => `<p>${escapeHtml(l)}</p>`)
      .join("\n"),
  };
}
