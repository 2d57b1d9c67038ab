import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTransport, type Transporter } from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer";
import type { Mail, Mailer } from "../ports/mailer.js";

export interface OutboxMailerOptions {
  /** Folder receiving one `.eml` file per mail (created when absent). */
  readonly dir: string;
  /** `From:` of every mail, e.g. `video-processor <no-reply@localhost>`. */
  readonly from: string;
  /** When set, each mail is also sent over SMTP (`smtp://user:pass@host:port`). */
  readonly smtpUrl?: string;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/**
 * Writes every mail as an RFC 5322 file (temp file + rename, so a reader never sees half a mail);
 * names sort by time. With SMTP configured, the mail is sent too, after it is in the outbox:
 * an SMTP failure throws so the caller's retry sends it again.
 */
export class OutboxMailer implements Mailer {
  private readonly transport: Transporter | null;
  /** Orders the files of mails sent within the same millisecond. */
  private sequence = 0;

  constructor(private readonly options: OutboxMailerOptions) {
    this.transport = options.smtpUrl === undefined ? null : createTransport(options.smtpUrl);
  }

  async send(mail: Mail): Promise<{ readonly messageId: string }> {
    const now = (this.options.clock ?? (() => new Date()))();
    const id = randomUUID();
    const domain = /@([^>\s]+)>?\s*$/.exec(this.options.from)?.[1] ?? "localhost";
    const messageId = `<${id}@${domain}>`;
    const raw = await new MailComposer({
      from: this.options.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId,
      date: now,
    })
      .compile()
      .build();

    // Mails hold confirmation codes and addresses: this user's only, whatever the umask.
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const seq = String(this.sequence++ % 1_000_000).padStart(6, "0");
    const name = `${now.toISOString().replace(/[:.]/g, "-")}-${seq}-${id}.eml`;
    const temp = join(this.options.dir, `.tmp-${randomBytes(8).toString("hex")}`);
    try {
      await writeFile(temp, raw, { flag: "wx", mode: 0o600 });
      await rename(temp, join(this.options.dir, name));
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    if (this.transport !== null) {
      await this.transport.sendMail({
        envelope: { from: this.options.from, to: mail.to },
        raw,
      });
    }
    return { messageId };
  }

  close(): void {
    this.transport?.close();
  }
}
