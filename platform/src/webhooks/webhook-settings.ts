/** How webhooks behave, from configuration (VP_WEBHOOK_*); shared by the API and the delivery consumer. */
export interface WebhookSettings {
  /** Development only: http URLs and loopback receivers. */
  readonly allowLocalTargets: boolean;
  /** Multiplies the retry schedule's waits (tests compress a day and a half into milliseconds). */
  readonly retryScale: number;
  /** One attempt's limit. */
  readonly timeoutMs: number;
  /** An endpoint failing without a success for this long is disabled and its owner emailed. */
  readonly disableAfterMs: number;
  /** After a rotation, the old secret keeps signing (beside the new one) this long. */
  readonly rotationOverlapMs: number;
  /** Endpoints per user. */
  readonly maxEndpointsPerUser: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowLocalTargets: false,
  retryScale: 1,
  timeoutMs: 15_000,
  disableAfterMs: 5 * 86_400_000,
  rotationOverlapMs: 86_400_000,
  maxEndpointsPerUser: 20,
};

/** The VP_WEBHOOK_* settings as WebhookSettings. */
export const webhookSettingsFrom = (s: {
  readonly VP_WEBHOOK_ALLOW_LOCAL_TARGETS: boolean;
  readonly VP_WEBHOOK_RETRY_SCALE: number;
  readonly VP_WEBHOOK_TIMEOUT_SECONDS: number;
  readonly VP_WEBHOOK_DISABLE_AFTER_SECONDS: number;
  readonly VP_WEBHOOK_ROTATION_OVERLAP_SECONDS: number;
  readonly VP_WEBHOOK_MAX_ENDPOINTS_PER_USER: number;
}): WebhookSettings => ({
  allowLocalTargets: s.VP_WEBHOOK_ALLOW_LOCAL_TARGETS,
  retryScale: s.VP_WEBHOOK_RETRY_SCALE,
  timeoutMs: s.VP_WEBHOOK_TIMEOUT_SECONDS * 1000,
  disableAfterMs: s.VP_WEBHOOK_DISABLE_AFTER_SECONDS * 1000,
  rotationOverlapMs: s.VP_WEBHOOK_ROTATION_OVERLAP_SECONDS * 1000,
  maxEndpointsPerUser: s.VP_WEBHOOK_MAX_ENDPOINTS_PER_USER,
});
