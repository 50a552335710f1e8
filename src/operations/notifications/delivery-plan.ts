/**
 * Expanding one notification request into deliveries: per recipient, the channels their preferences (or the plant's
 * defaults) choose for its severity, and per configured webhook whose kinds match. Pure, so the rules are tested alone.
 * Each delivery has a stable id (`<key>|<user>|<channel>`, `<key>|webhook:<id>`) that becomes its outbox message id:
 * the store's de-duplication then guarantees the same key never reaches the same recipient on the same channel twice.
 */
import { SEVERITIES, type Severity } from '../../core/context.js';
import type { NotificationPreferences } from '../../core/notification-inbox.js';
import type { NotificationRequest } from '../../core/notifications.js';
import { BUILTIN_CHANNEL_DEFAULTS, type ChannelsBySeverity, type UserChannel, type WebhookTarget } from '../../core/notifications-config.js';

export type DeliveryChannel = UserChannel | 'webhook';

/** The outbox channel of each delivery channel (requests themselves travel on `notify`). */
export const OUTBOX_CHANNELS: Readonly<Record<DeliveryChannel, string>> = {
  'in-app': 'notify.in-app',
  email: 'notify.email',
  webhook: 'notify.webhook',
};

/** One delivery to make; `id` becomes its outbox message id. */
export type PlannedDelivery =
  | { id: string; channel: 'in-app'; recipient: string }
  | { id: string; channel: 'email'; recipient: string; address: string }
  | { id: string; channel: 'webhook'; webhook: string };

/** How one attempt at an email or webhook went. `permanent`: trying again would get the same refusal. */
export type DeliveryOutcome = { ok: true; detail: string } | { ok: false; permanent: boolean; message: string };

/** A delivery not made, and why (audited as notification.skipped). */
export interface SkippedDelivery {
  channel: DeliveryChannel;
  recipient: string;
  reason: string;
}

/** What is known about one recipient when the request is expanded. */
export interface RecipientInfo {
  id: string;
  /** Undefined: no such user. */
  user?: { email?: string };
  preferences?: NotificationPreferences;
}

/** What the plant offers: its default channels, whether email works, its webhooks. */
export interface PlanOptions {
  defaults?: ChannelsBySeverity;
  emailConfigured: boolean;
  webhooks: readonly WebhookTarget[];
}

/** `*` matches any run of characters (dots included): `case.*` matches `case.opened` and `case.sla.breached`. */
export function globMatches(pattern: string, kind: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === kind;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!kind.startsWith(first) || kind.length < first.length + last.length || !kind.endsWith(last)) return false;
  let position = first.length;
  const end = kind.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = kind.indexOf(middle, position);
    if (found < 0 || found + middle.length > end) return false;
    position = found + middle.length;
  }
  return true;
}

/** The channels that apply for a severity: the user's choice, else the plant's default, else the built-in one. */
export function effectiveChannels(severity: Severity, preferences: NotificationPreferences | undefined, defaults: ChannelsBySeverity | undefined): readonly UserChannel[] {
  return preferences?.channels?.[severity] ?? defaults?.[severity] ?? BUILTIN_CHANNEL_DEFAULTS[severity];
}

/** Every severity's effective channels, for showing a user what applies to them. */
export function effectiveChannelTable(preferences: NotificationPreferences | undefined, defaults: ChannelsBySeverity | undefined): Required<ChannelsBySeverity> {
  const [low, medium, high, critical] = SEVERITIES.map((severity) => [...effectiveChannels(severity, preferences, defaults)]);
  return { low: low!, medium: medium!, high: high!, critical: critical! };
}

function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The deliveries a request makes, and the ones it does not make with the reason (for the audit ledger). */
export function planDeliveries(request: NotificationRequest, recipients: readonly RecipientInfo[], options: PlanOptions): { deliveries: PlannedDelivery[]; skipped: SkippedDelivery[] } {
  const deliveries: PlannedDelivery[] = [];
  const skipped: SkippedDelivery[] = [];
  const seen = new Set<string>();
  for (const recipient of recipients) {
    if (seen.has(recipient.id)) continue;
    seen.add(recipient.id);
    if (recipient.user === undefined) {
      skipped.push({ channel: 'in-app', recipient: recipient.id, reason: `no user '${recipient.id}'` });
      continue;
    }
    // Critical notifications ignore mutes: a person can move them between channels, never silence them.
    const muted = request.severity === 'critical' ? undefined : (recipient.preferences?.mute ?? []).find((pattern) => globMatches(pattern, request.kind));
    if (muted !== undefined) {
      skipped.push({ channel: 'in-app', recipient: recipient.id, reason: `muted by the user's preference '${muted}'` });
      continue;
    }
    for (const channel of effectiveChannels(request.severity, recipient.preferences, options.defaults)) {
      const id = `${request.key}|${recipient.id}|${channel}`;
      if (channel === 'in-app') {
        deliveries.push({ id, channel, recipient: recipient.id });
      } else if (!options.emailConfigured) {
        skipped.push({ channel, recipient: recipient.id, reason: 'email is not configured (no notifications.email in plant.yaml)' });
      } else if (recipient.user.email === undefined || recipient.user.email === '') {
        skipped.push({ channel, recipient: recipient.id, reason: `user '${recipient.id}' has no email address` });
      } else {
        deliveries.push({ id, channel, recipient: recipient.id, address: recipient.user.email });
      }
    }
  }
  for (const webhook of options.webhooks) {
    if (!webhook.kinds.some((pattern) => globMatches(pattern, request.kind))) continue;
    if (severityRank(request.severity) < severityRank(webhook.minSeverity ?? 'low')) continue;
    deliveries.push({ id: `${request.key}|webhook:${webhook.id}`, channel: 'webhook', webhook: webhook.id });
  }
  return { deliveries, skipped };
}
