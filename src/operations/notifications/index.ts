/**
 * Notifications (ARCHITECTURE.md §5): live in the UI, email over SMTP and signed webhooks, by each user's
 * preferences, de-duplicated by request key. See docs/notifications.md.
 */
export { NotificationDispatcher, type NotificationDispatcherOptions } from './notification-dispatcher.js';
export type { UserDirectory } from './inbox.js';
export { signWebhook, verifyWebhookSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, DELIVERY_HEADER } from './webhook-signature.js';
