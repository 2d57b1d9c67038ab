import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { mailerContract } from "../src/testing/contracts/index.js";
import { startSesLocal, TEST_CREDENTIALS, TEST_REGION, type SesLocal } from "../src/testing/aws/servers.js";
import { createAwsClients, SesMailer } from "../src/aws/index.js";

// The Mailer contract runs against a real SES v2 wire server (aws-ses-v2-local): "delivered" is
// what the server stored, read back over its own HTTP API. One server for the file; its store is
// per process, so each fixture starts from an empty one.
let server: Promise<SesLocal> | undefined;
const ses = (): Promise<SesLocal> => (server ??= startSesLocal());
afterAll(async () => {
  if (server) await (await server).close();
});

const sesClient = (endpoint: string) =>
  new SESv2Client({ region: TEST_REGION, endpoint, credentials: { ...TEST_CREDENTIALS } });

mailerContract("SES v2 (aws-ses-v2-local)", async () => {
  const local = await ses();
  await local.clear();
  const client = sesClient(local.endpoint);
  return {
    mailer: new SesMailer({ ses: () => client, from: "video-processor <no-reply@example.com>" }),
    async delivered() {
      return (await local.mails()).map((m) => ({
        to: m.destination.to.join(", "),
        subject: m.subject,
        text: m.body.text ?? null,
        html: m.body.html ?? null,
      }));
    },
    async cleanup() {
      client.destroy();
    },
  };
});

describe("SES v2 on the wire server", () => {
  it("sends from the configured identity, to the one recipient, and answers the server's message id", async () => {
    const local = await ses();
    await local.clear();
    const client = sesClient(local.endpoint);
    try {
      const mailer = new SesMailer({
        ses: () => client,
        from: "vp <no-reply@example.com>",
        configurationSetName: "vp-events",
      });
      const { messageId } = await mailer.send({ to: "a@example.com", subject: "Sujet é", text: "t", html: "<p>h</p>" });
      expect(await local.mails()).toEqual([
        expect.objectContaining({
          messageId,
          from: "vp <no-reply@example.com>",
          destination: { to: ["a@example.com"], cc: [], bcc: [] },
          subject: "Sujet é",
          body: { text: "t", html: "<p>h</p>" },
        }),
      ]);
    } finally {
      client.destroy();
    }
  });

  it("surfaces a refusal by the server as a rejected send", async () => {
    const local = await ses();
    await local.clear();
    const client = sesClient(local.endpoint);
    try {
      // The server refuses Simple content without a subject (SES does too).
      await expect(
        new SesMailer({ ses: () => client, from: "x@example.com" }).send({
          to: "a@example.com",
          subject: "",
          text: "t",
          html: "h",
        }),
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
      expect(await local.mails()).toEqual([]);
    } finally {
      client.destroy();
    }
  });

  it("reaches the server through the SDK's own AWS_ENDPOINT_URL_SESV2, with no endpoint in our code", async () => {
    const local = await ses();
    await local.clear();
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SESV2: local.endpoint,
      AWS_ACCESS_KEY_ID: "fake",
      AWS_SECRET_ACCESS_KEY: "fake",
    });
    // What a spawned worker does: clients from createAwsPlatform's defaults, endpoint from the environment.
    const clients = createAwsClients({ region: TEST_REGION });
    try {
      await new SesMailer({ ses: clients.ses, from: "x@example.com" }).send({
        to: "env@example.com",
        subject: "by environment",
        text: "t",
        html: "h",
      });
      expect((await local.mails()).map((m) => m.subject)).toEqual(["by environment"]);
    } finally {
      clients.destroy();
      process.env = saved;
    }
  });
});

// What the wire server cannot show: it keeps neither the charsets nor the configuration set, and
// it verifies no identities, so it never answers SES's MessageRejected. Those stay on the mock.
describe("SES v2 request shape (aws-sdk-client-mock)", () => {
  const mocked = new SESv2Client({ region: "eu-west-1" });
  const sesMock = mockClient(mocked);
  const sent = () => sesMock.commandCalls(SendEmailCommand).map((c) => c.args[0].input);
  beforeEach(() => sesMock.reset());
  afterAll(() => sesMock.restore());

  it("sends Simple content in UTF-8 from the configured identity, with the configuration set", async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: "m-1" });
    const mailer = new SesMailer({
      ses: () => mocked,
      from: "vp <no-reply@example.com>",
      configurationSetName: "vp-events",
    });
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

  it("surfaces SES refusals by name (the notify Lambda reports the record as a batch item failure)", async () => {
    sesMock
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error("Email address is not verified."), { name: "MessageRejected" }));
    await expect(
      new SesMailer({ ses: () => mocked, from: "x@example.com" }).send({
        to: "a@example.com",
        subject: "s",
        text: "t",
        html: "h",
      }),
    ).rejects.toMatchObject({ name: "MessageRejected" });
  });
});
