import type { JobEvent } from "@vp/domain";
import type { IdentityProvider } from "@vp/platform";
import type { Mailer } from "@vp/platform";
import { renderJobFinishedMail } from "./templates.js";

/** Structurally a pino logger. */
export interface NotifierLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface JobNotifierDeps {
  readonly identity: Pick<IdentityProvider, "getUser">;
  readonly mailer: Mailer;
  /** Base URL users open (download links, playground). */
  readonly publicUrl: string;
  readonly logger?: NotifierLogger;
}

export type JobNotifier = (event: JobEvent) => Promise<"SENT" | "SKIPPED">;

/**
 * Emails the owner when a job succeeds or fails. Mailer and identity failures propagate: the
 * caller (queue consumer, SQS) retries. Delivery is at least once, so a redelivered event can
 * send the same email twice.
 */
export function createJobNotifier(deps: JobNotifierDeps): JobNotifier {
  return async (event) => {
    const { job } = event;
    if (job.status !== "SUCCEEDED" && job.status !== "FAILED") return "SKIPPED";
    const user = await deps.identity.getUser(job.ownerId);
    if (!user) {
      deps.logger?.warn({ jobId: job.id, ownerId: job.ownerId }, "job owner not found; no email sent");
      return "SKIPPED";
    }
    const mail = renderJobFinishedMail({
      to: user.email,
      event,
      publicUrl: deps.publicUrl,
    });
    if (!mail) return "SKIPPED";
    const { messageId } = await deps.mailer.send(mail);
    deps.logger?.info({ jobId: job.id, status: job.status, messageId }, "job email sent");
    return "SENT";
  };
}
