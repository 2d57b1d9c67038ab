export { refusedAddress, refusedWebhookUrl, type WebhookTargetPolicy } from "./address-policy.js";
export { createSsrfSafeSender, type HostResolver, type SsrfSafeSenderOptions } from "./ssrf-safe-sender.js";
export { createWebhookDispatcher, type WebhookDispatcherDeps } from "./webhook-dispatcher.js";
export { webhookDeliveryId, randomWebhookDeliveryId } from "./webhook-delivery-id.js";
export { withWebhookEvents } from "./webhook-event-source.js";
export { DEFAULT_WEBHOOK_SETTINGS, webhookSettingsFrom, type WebhookSettings } from "./webhook-settings.js";
export type { WebhookPlatform } from "./webhook-platform.js";
export { isConfiguredQueue, unconfiguredQueue } from "./unconfigured-queue.js";
export { startWebhookConsumer, type WebhookConsumerOptions } from "./start-webhook-consumer.js";
