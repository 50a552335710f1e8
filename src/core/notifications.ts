/**
 * The contract between what decides someone must be told (routing, cases, escalation) and what tells them (the
 * notification dispatcher). A request is written to the operations outbox on channel `notify` in the same commit as
 * the change that caused it, so it survives a crash; the dispatcher expands it per recipient and channel (live in the
 * UI, email, webhooks) by each user's preferences, de-duplicated by key.
 */
import type { Severity } from './context.js';

/** The outbox channel notification requests are written to. */
export const NOTIFY_CHANNEL = 'notify';

export interface NotificationRequest {
  /** De-duplication key: a second request with the same key reaches nobody twice. */
  key: string;
  /** What happened, dotted: case.opened, case.assigned, case.escalated, case.sla.breached, case.handover.offered, ... */
  kind: string;
  /** User ids. */
  recipients: string[];
  title: string;
  body: string;
  severity: Severity;
  caseId?: string;
  /** Epoch ms (plant time). */
  at: number;
  data?: Record<string, unknown>;
}

/** Told after a commit that added notification requests, so delivery starts at once instead of at the next poll. */
export interface NotificationOutlet {
  wake(): void;
}
