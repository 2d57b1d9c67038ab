import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { mailerContract } from "../src/testing/contracts/index.js";
import { OutboxMailer, readOutbox } from "../src/local/index.js";

mailerContract("OutboxMailer", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vp-outbox-"));
  const outbox = join(dir, "outbox");
  return {
    mailer: new OutboxMailer({
      dir: outbox,
      from: "video-processor <no-reply@localhost>",
    }),
    delivered: () => readOutbox(outbox),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

it("writes RFC 5322 multipart/alternative .eml files and nothing else", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vp-outbox-"));
  try {
    const mailer = new OutboxMailer({
      dir,
      from: "video-processor <no-reply@vp.test>",
    });
    const { messageId } = await mailer.send({
      to: "bo@example.com",
      subject: "Done",
      text: "plain",
      html: "<p>rich</p>",
    });
    expect(messageId).toMatch(/^<[0-9a-f-]+@vp\.test>$/);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT.*\.eml$/);
    const raw = await readFile(join(dir, files[0]!), "utf8");
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(raw).toContain(`Message-ID: ${messageId}`);
    expect(raw).toMatch(/^From: "?video-processor"? <no-reply@vp\.test>/m);
    const [mail] = await readOutbox(dir);
    expect(mail).toMatchObject({
      to: "bo@example.com",
      subject: "Done",
      text: "plain",
      html: "<p>rich</p>",
      messageId,
    });
    expect(await readOutbox(join(dir, "missing"))).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
