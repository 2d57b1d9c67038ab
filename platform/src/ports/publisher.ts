import type { Message } from "@vp/domain";

/**
 * A service's output topic (SNS on AWS). Subscribers receive the messages whose
 * `target`/`type` they filter on; on one machine the composition root routes them.
 */
export interface Publisher {
  publish(message: Message): Promise<void>;
}
