import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Mailer } from "../../ports/mailer.js";

export interface DeliveredMail {
  readonly to: string | null;
  readonly subject: string | null;
  readonly text: string | null;
  readonly html: string | null;
}

export interface MailerFixture {
  readonly mailer: Mailer;
  /** What reached the adapter's destination (outbox folder, mocked SES), oldest first. */
  delivered(): Promise<readonly DeliveredMail[]>;
  cleanup(): Promise<void>;
}

/** The Mailer port's behaviour; run it for every adapter. */
export function mailerContract(name: string, make: () => Promise<MailerFixture>): void {
  describe(`Mailer contract: ${name}`, () => {
    let fx: MailerFixture;
    beforeEach(async () => {
      fx = await make();
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it("delivers text and HTML, with non-ASCII subject and body intact", async () => {
      const mail = {
        to: "ana@example.com",
        subject: "Your frames of « été.mp4 » are ready ✔",
        text: "12 frames were extracted.\nDownload: https://example.com/d?x=1&y=2\n" + "long line ".repeat(30),
        html: '<p>12 frames of <b>été.mp4</b> — <a href="https://example.com/d?x=1&amp;y=2">download</a></p>',
      };
      const { messageId } = await fx.mailer.send(mail);
      expect(messageId.length).toBeGreaterThan(0);
      const delivered = await fx.delivered();
      expect(delivered).toHaveLength(1);
      expect(delivered[0]!.to).toContain("ana@example.com");
      expect(delivered[0]!.subject).toBe(mail.subject);
      expect(delivered[0]!.text?.trimEnd()).toBe(mail.text.trimEnd());
      expect(delivered[0]!.html).toContain("<b>été.mp4</b>");
    });

    it("delivers every mail, in order, each with its own message id", async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) {
        ids.add(
          (
            await fx.mailer.send({
              to: `u${i}@example.com`,
              subject: `mail ${i}`,
              text: `body ${i}`,
              html: `<p>body ${i}</p>`,
            })
          ).messageId,
        );
      }
      expect(ids.size).toBe(5);
      const delivered = await fx.delivered();
      expect(delivered.map((m) => m.subject)).toEqual(["mail 0", "mail 1", "mail 2", "mail 3", "mail 4"]);
    });
  });
}
