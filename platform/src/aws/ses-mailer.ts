import { SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import type { Mail, Mailer } from "../ports/mailer.js";

export interface SesMailerOptions {
  readonly ses: () => SESv2Client;
  /** A verified identity, e.g. `video-processor <no-reply@example.com>` (VP_MAIL_FROM). */
  readonly from: string;
  /** SES configuration set (bounce/complaint events), when the account uses one. */
  readonly configurationSetName?: string;
}

/** Mail through SES v2 SendEmail: Simple content with a text and an HTML part, UTF-8. */
export class SesMailer implements Mailer {
  constructor(private readonly options: SesMailerOptions) {}

  async send(mail: Mail): Promise<{ readonly messageId: string }> {
    const utf8 = (Data: string) => ({ Data, Charset: "UTF-8" });
    const res = await this.options.ses().send(
      new SendEmailCommand({
        FromEmailAddress: this.options.from,
        Destination: { ToAddresses: [mail.to] },
        Content: {
          Simple: {
            Subject: utf8(mail.subject),
            Body: { Text: utf8(mail.text), Html: utf8(mail.html) },
          },
        },
        ...(this.options.configurationSetName !== undefined
          ? { ConfigurationSetName: this.options.configurationSetName }
          : {}),
      }),
    );
    if (res.MessageId === undefined) throw new Error("SES accepted the mail but returned no MessageId");
    return { messageId: res.MessageId };
  }
}
