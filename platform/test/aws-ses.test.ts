import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, expect, it } from "vitest";
import { mailerContract } from "../src/testing/contracts/index.js";
import { SesMailer } from "../src/aws/index.js";

// SES has no local server (STACK.md): the Mailer contract runs against aws-sdk-client-mock, and
// "delivered" is what reached SES's SendEmail API.
const sesMock = mockClient(SESv2Client);
const ses = () => new SESv2Client({ region: "eu-west-1" });
beforeEach(() => sesMock.reset());

const sent = () => sesMock.commandCalls(SendEmailCommand).map((c) => c.args[0].input);

mailerContract("SES v2 (aws-sdk-client-mock)", async () => {
  let n = 0;
  sesMock.on(SendEmailCommand).callsFake(async () => ({ MessageId: `ses-${++n}` }));
  return {
    mailer: new SesMailer({ ses, from: "video-processor <no-reply@example.com>" }),
    async delivered() {
      return sent().map((input) => ({
        to: input.Destination?.ToAddresses?.join(", ") ?? null,
        subject: input.Content?.Simple?.Subject?.Data ?? null,
        text: input.Content?.Simple?.Body?.Text?.Data ?? null,
        html: input.Content?.Simple?.Body?.Html?.Data ?? null,
      }));
    },
    async cleanup() {},
  };
});

it("sends Simple content in UTF-8 from the configured identity, with the configuration set", async () => {
  sesMock.on(SendEmailCommand).resolves({ MessageId: "m-1" });
  const mailer = new SesMailer({ ses, from: "vp <no-reply@example.com>", configurationSetName: "vp-events" });
  expect(await mailer.send({ to: "a@example.com", subject: "Sujet é", text: "t", html: "<p>h</p>" })).toEqual({
    messageId: "m-1",
  });
  expect(sent()[0]).toEqual({
    FromEmailAddress: "vp <no-reply@example.com>",
    Destination: { ToAddresses: ["a@example.com"] },
    Content: {
      Simple: {
        Subject: { Data: "Sujet é", Charset: "UTF-8" },
        Body: { Text: { Data: "t", Charset: "UTF-8" }, Html: { Data: "<p>h</p>", Charset: "UTF-8" } },
      },
    },
    ConfigurationSetName: "vp-events",
  });
});

it("surfaces SES refusals (the notify Lambda reports the record as a batch item failure)", async () => {
  sesMock
    .on(SendEmailCommand)
    .rejects(Object.assign(new Error("Email address is not verified."), { name: "MessageRejected" }));
  await expect(
    new SesMailer({ ses, from: "x@example.com" }).send({ to: "a@example.com", subject: "s", text: "t", html: "h" }),
  ).rejects.toMatchObject({
    name: "MessageRejected",
  });
});
