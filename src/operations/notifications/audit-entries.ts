/**
 * The audit ledger entries notifications write: one per delivery outcome (sent, attempt failed, failed, skipped),
 * each about the request key, so an auditor finds everything one notification did with subject notification/<key>.
 */
import type { AuditEntryInput } from '../../core/audit.js';
import type { NotificationRequest } from '../../core/notifications.js';
import type { DeliveryChannel } from './delivery-plan.js';

/** Whom or where one delivery goes. */
export type Target = { channel: DeliveryChannel; recipient?: string; webhook?: string };

/** The code on every failure entry (docs/errors.md). */
export const DELIVERY_ERROR = 'PF_ERR_NOTIFICATION_DELIVERY';

/** The entry for one delivery outcome, about the request key. */
export function auditEntry(action: string, request: NotificationRequest, target: Target, data: Record<string, unknown>, reason?: string): AuditEntryInput {
  return {
    actor: 'system',
    action,
    subject: { kind: 'notification', id: request.key },
    ...(reason === undefined ? {} : { reason }),
    data: {
      key: request.key,
      kind: request.kind,
      channel: target.channel,
      ...(target.recipient === undefined ? {} : { recipient: target.recipient }),
      ...(target.webhook === undefined ? {} : { webhook: target.webhook }),
      ...(request.caseId === undefined ? {} : { caseId: request.caseId }),
      ...data,
    },
  };
}

/** An outbox message that is not what it should be: failed at once, with why. */
export function malformedEntry(messageId: string, channel: string, message: string): AuditEntryInput {
  return { actor: 'system', action: 'notification.failed', subject: { kind: 'notification', id: messageId }, reason: message, data: { outbox: messageId, channel, code: DELIVERY_ERROR } };
}
