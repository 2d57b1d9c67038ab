import { extractionOptionsSchema, toGlobalId, type JobEvent, type JobSnapshot } from "@vp/domain";
import type { UserRecord } from "@vp/platform";
import type { Mail, Mailer } from "@vp/platform";
import { describe, expect, it } from "vitest";
import { createJobNotifier, createSqsHandler, renderJobFinishedMail, type SqsRecord } from "../src/index.js";

const at = "2030-01-01T00:00:00.000Z";
function jobEvent(over: Partial<JobSnapshot> = {}, videoFilename = "holiday.mp4"): JobEvent {
  return {
    videoFilename,
    job: {
      id: "job-1",
      ownerId: "user-1",
      videoId: "video-1",
      status: "SUCCEEDED",
      progress: 1,
      framesExtracted: 12,
      options: extractionOptionsSchema.parse({
        mode: "INTERVAL",
        intervalSeconds: 1,
      }),
      attempts: 1,
      error: null,
      result: {
        frameCount: 12,
        archiveKey: "a/job-1.zip",
        archiveSizeBytes: 1234,
        strategy: "seek",
      },
      createdAt: at,
      startedAt: at,
      finishedAt: at,
      updatedAt: at,
      version: 3,
      ...over,
    },
  };
}
const failed = (retryable: boolean) =>
  jobEvent({
    status: "FAILED",
    result: null,
    error: {
      code: retryable ? "TIMEOUT" : "INPUT_CORRUPT",
      message: "ffmpeg could not decode the stream",
      retryable,
    },
  });

class Outbox implements Mailer {
  readonly sent: Mail[] = [];
  fail = false;
  async send(mail: Mail) {
    if (this.fail) throw new Error("SES throttled");
    this.sent.push(mail);
    return { messageId: `m${this.sent.length}` };
  }
}
const users: Record<string, UserRecord> = {
  "user-1": { userId: "user-1", email: "owner@example.com", confirmed: true },
};
const identity = { getUser: async (id: string) => users[id] ?? null };

describe("job email templates", () => {
  it("tells of success with the frame count and both ways to download", () => {
    const mail = renderJobFinishedMail({
      to: "o@example.com",
      event: jobEvent(),
      publicUrl: "https://vp.example.com/",
    });
    expect(mail?.to).toBe("o@example.com");
    expect(mail?.subject).toBe("Your frames are ready: holiday.mp4");
    expect(mail?.text).toContain("12 frames extracted");
    expect(mail?.text).toContain(`vproc download ${toGlobalId("ExtractionJob", "job-1")}`);
    expect(mail?.text).toContain("https://vp.example.com/graphql");
    expect(mail?.text).toContain(`job(id: "${toGlobalId("ExtractionJob", "job-1")}")`);
    expect(mail?.text).toContain("downloadUrl");
    expect(mail?.html).toContain('<a href="https://vp.example.com/graphql">');
    expect(mail?.html).toContain(`<pre>vproc download ${toGlobalId("ExtractionJob", "job-1")}</pre>`);
  });

  it("says 1 frame, not 1 frames", () => {
    const mail = renderJobFinishedMail({
      to: "o@e.com",
      event: jobEvent({
        result: {
          frameCount: 1,
          archiveKey: "k",
          archiveSizeBytes: 1,
          strategy: "s",
        },
      }),
      publicUrl: "http://x",
    });
    expect(mail?.text).toContain("1 frame extracted");
  });

  it("tells of failure with the reason and whether a retry can help", () => {
    const retry = renderJobFinishedMail({
      to: "o@e.com",
      event: failed(true),
      publicUrl: "http://x",
    });
    expect(retry?.subject).toBe("Frame extraction failed: holiday.mp4");
    expect(retry?.text).toContain("Reason: ffmpeg could not decode the stream (TIMEOUT)");
    expect(retry?.text).toContain("retrying may help");
    const final = renderJobFinishedMail({
      to: "o@e.com",
      event: failed(false),
      publicUrl: "http://x",
    });
    expect(final?.text).toContain("will not help");
    expect(final?.html).toContain("<code>INPUT_CORRUPT</code>");
  });

  it("escapes user data in HTML and keeps the subject on one line", () => {
    const evil = jobEvent({}, '<img src=x onerror="alert(1)">\r\nBcc: all@example.com.mp4');
    const mail = renderJobFinishedMail({
      to: "o@e.com",
      event: evil,
      publicUrl: "http://x",
    });
    expect(mail?.html).not.toContain("<img");
    expect(mail?.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(mail?.subject).not.toMatch(/[\r\n]/);
    const failedEvil = {
      ...failed(false),
      job: {
        ...failed(false).job,
        error: {
          code: "INPUT_CORRUPT" as const,
          message: "<script>x</script>",
          retryable: false,
        },
      },
    };
    expect(
      renderJobFinishedMail({
        to: "o@e.com",
        event: failedEvil,
        publicUrl: "http://x",
      })?.html,
    ).not.toContain("<script>");
  });

  it("renders nothing for CANCELLED, QUEUED or RUNNING jobs", () => {
    for (const status of ["CANCELLED", "QUEUED", "RUNNING"] as const) {
      expect(
        renderJobFinishedMail({
          to: "o@e.com",
          event: jobEvent({ status }),
          publicUrl: "http://x",
        }),
      ).toBeNull();
    }
  });
});

describe("job notifier", () => {
  it("mails the owner on SUCCEEDED and FAILED, skips the rest", async () => {
    const outbox = new Outbox();
    const notify = createJobNotifier({
      identity,
      mailer: outbox,
      publicUrl: "http://x",
    });
    expect(await notify(jobEvent())).toBe("SENT");
    expect(await notify(failed(true))).toBe("SENT");
    expect(await notify(jobEvent({ status: "CANCELLED" }))).toBe("SKIPPED");
    expect(outbox.sent.map((m) => [m.to, m.subject])).toEqual([
      ["owner@example.com", "Your frames are ready: holiday.mp4"],
      ["owner@example.com", "Frame extraction failed: holiday.mp4"],
    ]);
  });

  it("skips with a log when the owner no longer exists", async () => {
    const outbox = new Outbox();
    const warnings: object[] = [];
    const notify = createJobNotifier({
      identity,
      mailer: outbox,
      publicUrl: "http://x",
      logger: { info: () => undefined, warn: (o) => void warnings.push(o) },
    });
    expect(await notify(jobEvent({ ownerId: "ghost" }))).toBe("SKIPPED");
    expect(outbox.sent).toHaveLength(0);
    expect(warnings).toEqual([{ jobId: "job-1", ownerId: "ghost" }]);
  });

  it("lets a mailer failure propagate so the queue retries", async () => {
    const outbox = new Outbox();
    outbox.fail = true;
    await expect(createJobNotifier({ identity, mailer: outbox, publicUrl: "http://x" })(jobEvent())).rejects.toThrow(
      "SES throttled",
    );
  });
});

describe("SQS handler", () => {
  const envelope = (event: JobEvent, type = "JOB_FINISHED") =>
    JSON.stringify({
      sender: "MSG_SERVICE_WORKER",
      target: "MSG_SERVICE_ANY",
      type,
      payload: event,
    });
  const record = (messageId: string, body: string): SqsRecord => ({
    messageId,
    body,
    eventSource: "aws:sqs",
  });

  it("reports malformed and failing records as batch item failures, and never throws the batch", async () => {
    const outbox = new Outbox();
    const notify = createJobNotifier({
      identity,
      mailer: outbox,
      publicUrl: "http://x",
    });
    const handler = createSqsHandler(notify);
    const sns = JSON.stringify({
      Type: "Notification",
      Message: envelope(failed(false)),
    });
    const result = await handler({
      Records: [
        record("ok-raw", envelope(jobEvent())),
        record("ok-sns", sns),
        record("not-json", "{oops"),
        record(
          "wrong-shape",
          JSON.stringify({
            sender: "MSG_SERVICE_WORKER",
            target: "MSG_SERVICE_ANY",
            type: "JOB_FINISHED",
            payload: { job: { id: 1 } },
          }),
        ),
        record("other-type", envelope(jobEvent({ status: "RUNNING" }), "JOB_UPDATED")),
      ],
    });
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: "not-json" }, { itemIdentifier: "wrong-shape" }],
    });
    expect(outbox.sent).toHaveLength(2);

    outbox.fail = true;
    expect(await handler({ Records: [record("send-fails", envelope(jobEvent()))] })).toEqual({
      batchItemFailures: [{ itemIdentifier: "send-fails" }],
    });
  });
});
