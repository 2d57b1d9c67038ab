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
