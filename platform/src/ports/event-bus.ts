export type Unsubscribe = () => void;

/**
 * Live fan-out of JSON payloads on named channels (`job:<id>`, `owner:<id>`), across processes:
 * a subscriber in one process receives what another process publishes. Best effort and
 * short-lived: durable state lives in the repositories; this only carries news of it.
 */
export interface EventBus {
  publish(channel: string, payload: unknown): Promise<void>;
  /** Delivers, in publish order per channel, every payload published after subscribe resolves. */
  subscribe(channel: string, listener: (payload: unknown) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}
