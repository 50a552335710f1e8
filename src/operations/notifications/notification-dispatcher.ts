/**
 * The notification dispatcher (docs/notifications.md): drains `notify` requests from the operations outbox, expands
 * each into one outbox message per recipient and channel (and per matching webhook), and delivers them. In-app
 * notifications are stored and marked sent in the very commit that expands the request, then pushed to the user's
 * live streams, so a new case reaches its owner's screen one commit after wake(). Emails and webhooks go out
 * concurrently; each outcome is committed with its audit entry together with the outbox status, failures are retried
 * with backoff on the plant Clock and end `failed` after the last attempt.
 */
import type { AuditEntryInput } from '../../core/audit.js';
import type { Clock, ClockTimer } from '../../core/clock.js';
import { describeError } from '../../core/errors.js';
import type { MetricsRegistry } from '../../core/metrics.js';
import type {
  ChannelCounts,
  EffectivePreferences,
  InAppNotification,
  NotificationInbox,
  NotificationPreferences,
  NotificationStatus,
} from '../../core/notification-inbox.js';
import { NOTIFY_CHANNEL, type NotificationOutlet, type NotificationRequest } from '../../core/notifications.js';
import type { NotificationsConfig, RetryPolicy, WebhookTarget } from '../../core/notifications-config.js';
import type { OperationsStore, OutboxMessage, OutboxUpdate, RecordChange } from '../../core/operations-store.js';
import type { RecordStore } from '../../core/store.js';
import { auditEntry, DELIVERY_ERROR, malformedEntry, type Target } from './audit-entries.js';
import { OUTBOX_CHANNELS, planDeliveries, type DeliveryChannel, type DeliveryOutcome, type RecipientInfo } from './delivery-plan.js';
import { EmailChannel } from './email-channel.js';
import { InboxService, type UserDirectory } from './inbox.js';
import { parseDelivery, parseRequest } from './outbox-payloads.js';
import { retryDelay, retryPolicyOf } from './retry-policy.js';
import { WebhookChannel } from './webhook-channel.js';

/** Outbox messages read per query. */
const PAGE = 200;
/** Emails and webhooks attempted at once; the rest wait in the outbox, already durable. */
const MAX_IN_FLIGHT = 16;
/** Plant time between sweeps that catch retries due after a restart and prune inboxes. */
const SWEEP_MS = 60_000;
const DEFAULT_INBOX_SIZE = 500;
const METRIC = 'pf_notifications_total';
const METRIC_HELP = 'Notification deliveries by channel and result (sent, failed, retried, skipped).';

const CHANNEL_OF_OUTBOX: ReadonlyMap<string, DeliveryChannel> = new Map(
  (Object.entries(OUTBOX_CHANNELS) as Array<[DeliveryChannel, string]>).map(([channel, outbox]) => [outbox, channel]),
);

/** What the dispatcher is built from (runtime/create-runtime.ts). */
export interface NotificationDispatcherOptions {
  config: NotificationsConfig | undefined;
  operations: OperationsStore;
  records: RecordStore;
  users: UserDirectory;
  clock: Clock;
  metrics: MetricsRegistry;
  /** Reads the secrets plant.yaml names (SMTP password, webhook secrets). Default process.env. */
  env?: (name: string) => string | undefined;
  /** Hears what goes wrong outside a delivery (a store that fails, a live listener that throws). Default console.error. */
  onError?: (message: string, error: unknown) => void;
}

function zeroCounts(): Record<DeliveryChannel, ChannelCounts> {
  const zero = (): ChannelCounts => ({ sent: 0, failed: 0, retried: 0, skipped: 0 });
  return { 'in-app': zero(), email: zero(), webhook: zero() };
}

/** Delivers notification requests from the outbox; the NotificationOutlet of cases and routing, and the API's inbox. */
export class NotificationDispatcher implements NotificationOutlet, NotificationInbox {
  readonly #options: NotificationDispatcherOptions;
  readonly #env: (name: string) => string | undefined;
  readonly #onError: (message: string, error: unknown) => void;
  readonly #inbox: InboxService;
  readonly #retry: Required<RetryPolicy>;
  readonly #webhooks: ReadonlyMap<string, WebhookTarget>;
  readonly #inFlight = new Map<string, Promise<void>>();
  /** Plant times at which deferred deliveries fall due (known since start; the sweep covers older ones). */
  readonly #retryTimes: number[] = [];
  readonly #counts = zeroCounts();
  #running = false;
  #email: EmailChannel | undefined;
  #webhookChannel: WebhookChannel | undefined;
  #draining: Promise<void> | undefined;
  #again = false;
  /** Some due deliveries waited for a free slot: look again when one frees. */
  #saturated = false;
  #timer: ClockTimer | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #lastPrune = 0;
  #lastFailure: NotificationStatus['lastFailure'];

  constructor(options: NotificationDispatcherOptions) {
    this.#options = options;
    this.#env = options.env ?? ((name) => process.env[name]);
    this.#onError = options.onError ?? ((message, error) => console.error(`${message}: ${describeError(error)}`));
    this.#retry = retryPolicyOf(options.config?.retry);
    this.#webhooks = new Map((options.config?.webhooks ?? []).map((webhook) => [webhook.id, webhook]));
    this.#inbox = new InboxService({
      records: options.records,
      operations: options.operations,
      users: options.users,
      clock: options.clock,
      defaults: options.config?.defaults,
      emailConfigured: options.config?.email !== undefined,
      size: options.config?.inboxSize ?? DEFAULT_INBOX_SIZE,
      onListenerError: (error) => this.#onError('a live notification listener failed', error),
    });
    options.metrics.collectGauge('pf_notifications_in_flight', 'Emails and webhooks being attempted right now.', () => [{ labels: {}, value: this.#inFlight.size }]);
  }

  /** Opens the email and webhook channels and delivers whatever the outbox holds. */
  async start(): Promise<void> {
    if (this.#running) return;
    const email = this.#options.config?.email;
    if (email !== undefined) {
      const passwordEnv = email.smtp.passwordEnv;
      const password = passwordEnv === undefined ? undefined : this.#env(passwordEnv);
      if (passwordEnv !== undefined && (password === undefined || password === '')) {
        this.#onError('notifications: email will fail to authenticate', new Error(`environment variable ${passwordEnv} (notifications.email.smtp.passwordEnv) is not set`));
      }
      this.#email = new EmailChannel(email, password);
    }
    this.#webhookChannel = new WebhookChannel(this.#env);
    this.#running = true;
    this.#kick();
  }

  /** Starts a drain now (or right after the one running), so new requests go out without waiting for a timer. */
  wake(): void {
    this.#kick();
  }

  /** Stops timers, aborts sends in progress (they stay pending and go out after the next start) and closes sockets. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#retryTimes.length = 0;
    this.#email?.close();
    this.#webhookChannel?.close();
    await this.idle();
    this.#email = undefined;
    this.#webhookChannel = undefined;
  }

  /** Resolves once no drain runs and no delivery is in flight (deliveries deferred to a later retry do not count). */
  async idle(): Promise<void> {
    while (this.#draining !== undefined || this.#inFlight.size > 0) {
      await Promise.allSettled([this.#draining, ...this.#inFlight.values()]);
    }
  }

  status(): NotificationStatus {
    return {
      state: this.#running ? 'running' : 'stopped',
      emailConfigured: this.#options.config?.email !== undefined,
      webhooks: [...this.#webhooks.keys()],
      inFlight: this.#inFlight.size,
      channels: structuredClone(this.#counts),
      ...(this.#lastFailure === undefined ? {} : { lastFailure: { ...this.#lastFailure } }),
    };
  }

  list(userId: string, options: { limit: number; unreadOnly?: boolean }): Promise<{ notifications: InAppNotification[]; unread: number }> {
    return this.#inbox.list(userId, options);
  }

  markRead(userId: string, id: string): Promise<InAppNotification> {
    return this.#inbox.markRead(userId, id);
  }

  markAllRead(userId: string): Promise<number> {
    return this.#inbox.markAllRead(userId);
  }

  subscribe(userId: string, listener: (notification: InAppNotification) => void): () => void {
    return this.#inbox.subscribe(userId, listener);
  }

  preferences(userId: string): Promise<EffectivePreferences> {
    return this.#inbox.preferences(userId);
  }

  setPreferences(userId: string, preferences: NotificationPreferences, actor: string): Promise<EffectivePreferences> {
    return this.#inbox.setPreferences(userId, preferences, actor);
  }

  #kick(): void {
    if (!this.#running) return;
    if (this.#draining !== undefined) {
      this.#again = true;
      return;
    }
    this.#draining = this.#drain()
      .catch((error: unknown) => this.#onError('draining the notification outbox failed (tried again at the next timer)', error))
      .finally(() => {
        this.#draining = undefined;
        if (this.#again && this.#running) this.#kick();
        else this.#arm();
      });
  }

  async #drain(): Promise<void> {
    do {
      this.#again = false;
      while (this.#running && (await this.#drainPage())) {
        // Another full page may follow.
      }
    } while (this.#again && this.#running);
    const now = this.#options.clock.now();
    if (this.#running && now - this.#lastPrune >= SWEEP_MS) {
      this.#lastPrune = now;
      await this.#inbox.prune();
    }
  }

  /** One page of due messages; true when the page was full and did work, so another may follow. */
  async #drainPage(): Promise<boolean> {
    const due = await this.#options.operations.dueOutbox(this.#options.clock.now(), PAGE);
    const requests: OutboxMessage[] = [];
    let launched = 0;
    for (const message of due) {
      if (this.#inFlight.has(message.id)) continue;
      if (message.channel === NOTIFY_CHANNEL) requests.push(message);
      else if (CHANNEL_OF_OUTBOX.has(message.channel) && this.#launch(message)) launched += 1;
    }
    if (requests.length > 0) await this.#expand(requests);
    return due.length === PAGE && (requests.length > 0 || launched > 0);
  }

  /** Expands requests into deliveries in one commit; in-app ones are stored and marked sent in that same commit. */
  async #expand(requests: readonly OutboxMessage[]): Promise<void> {
    const now = this.#options.clock.now();
    const records: RecordChange[] = [];
    const outbox: Array<{ id: string; channel: string; payload: Record<string, unknown>; createdAt: number }> = [];
    const updates: OutboxUpdate[] = [];
    const audit: AuditEntryInput[] = [];
    const published: InAppNotification[] = [];
    const external: OutboxMessage[] = [];
    const skips: DeliveryChannel[] = [];
    const planned = new Set<string>();
    const people = new Map<string, Promise<RecipientInfo>>();
    for (const message of requests) {
      const parsed = parseRequest(message.payload);
      if (!parsed.ok) {
        updates.push({ id: message.id, status: 'failed', attempts: message.attempts + 1, nextAttemptAt: now, lastError: parsed.message });
        audit.push(malformedEntry(message.id, NOTIFY_CHANNEL, parsed.message));
        continue;
      }
      const request = parsed.value;
      const recipients = await Promise.all(request.recipients.map((id) => {
        let person = people.get(id);
        if (person === undefined) {
          person = this.#recipient(id);
          people.set(id, person);
        }
        return person;
      }));
      const plan = planDeliveries(request, recipients, { defaults: this.#options.config?.defaults, emailConfigured: this.#email !== undefined, webhooks: [...this.#webhooks.values()] });
      for (const delivery of plan.deliveries) {
        // The delivery id is the de-duplication key: one that exists was planned before and is never made twice.
        if (planned.has(delivery.id) || (await this.#options.operations.getOutbox(delivery.id)) !== undefined) continue;
        planned.add(delivery.id);
        const { id, channel, ...target } = delivery;
        const row = { id, channel: OUTBOX_CHANNELS[channel], payload: { request, ...target }, createdAt: now };
        outbox.push(row);
        if (delivery.channel === 'in-app') {
          const { change, notification } = this.#inbox.entryFor(request, delivery.recipient, now);
          records.push(change);
          updates.push({ id, status: 'sent', attempts: 1, nextAttemptAt: now });
          audit.push(auditEntry('notification.sent', request, { channel, recipient: delivery.recipient }, { delivery: id, attempts: 1 }));
          published.push(notification);
        } else {
          external.push({ ...row, status: 'pending', attempts: 0, nextAttemptAt: now });
        }
      }
      for (const skip of plan.skipped) {
        audit.push(auditEntry('notification.skipped', request, { channel: skip.channel, recipient: skip.recipient }, {}, skip.reason));
        skips.push(skip.channel);
      }
      // `sent` on a request means expanded: its deliveries carry on as their own messages.
      updates.push({ id: message.id, status: 'sent', attempts: message.attempts + 1, nextAttemptAt: now });
    }
    await this.#options.operations.commit({ records, outbox, outboxUpdates: updates, audit });
    for (const notification of published) {
      this.#count('in-app', 'sent');
      this.#inbox.publish(notification);
    }
    for (const channel of skips) this.#count(channel, 'skipped');
    for (const message of external) this.#launch(message);
  }

  async #recipient(id: string): Promise<RecipientInfo> {
    const [user, preferences] = await Promise.all([this.#options.users.getUser(id), this.#inbox.storedPreferences(id)]);
    return { id, ...(user === undefined ? {} : { user: { ...(user.email === undefined ? {} : { email: user.email }) } }), ...(preferences === undefined ? {} : { preferences }) };
  }

  /** Starts one email or webhook delivery unless it runs already or every slot is taken; true when started. */
  #launch(message: OutboxMessage): boolean {
    if (!this.#running || this.#inFlight.has(message.id)) return false;
    if (this.#inFlight.size >= MAX_IN_FLIGHT) {
      this.#saturated = true;
      return false;
    }
    const task = this.#deliver(message)
      .catch((error: unknown) => this.#onError(`recording the outcome of notification ${message.id} failed (it stays pending)`, error))
      .finally(() => {
        this.#inFlight.delete(message.id);
        if (this.#saturated && this.#running) {
          this.#saturated = false;
          this.#kick();
        }
      });
    this.#inFlight.set(message.id, task);
    return true;
  }

  async #deliver(message: OutboxMessage): Promise<void> {
    const channel = CHANNEL_OF_OUTBOX.get(message.channel) ?? 'webhook';
    const attempt = message.attempts + 1;
    const parsed = parseDelivery(message.payload);
    if (!parsed.ok) {
      await this.#options.operations.commit({
        outboxUpdates: [{ id: message.id, status: 'failed', attempts: attempt, nextAttemptAt: this.#options.clock.now(), lastError: parsed.message }],
        audit: [malformedEntry(message.id, channel, parsed.message)],
      });
      this.#count(channel, 'failed');
      return;
    }
    const { request, recipient, address, webhook } = parsed.value;
    const target: Target = { channel, ...(recipient === undefined ? {} : { recipient }), ...(webhook === undefined ? {} : { webhook }) };
    if (channel === 'in-app' && recipient !== undefined) {
      await this.#deliverInApp(message, request, recipient);
      return;
    }
    const outcome = await this.#attempt(message.id, channel, request, address, webhook, attempt);
    // Aborted by stop(): not the receiver's fault, so not an attempt; it stays pending for the next start.
    if (!outcome.ok && !this.#running) return;
    await this.#record(message.id, request, target, attempt, outcome);
  }

  async #attempt(id: string, channel: DeliveryChannel, request: NotificationRequest, address: string | undefined, webhook: string | undefined, attempt: number): Promise<DeliveryOutcome> {
    if (channel === 'email') {
      if (this.#email === undefined || address === undefined) return { ok: false, permanent: true, message: 'email is not configured (no notifications.email in plant.yaml)' };
      return this.#email.send(id, request, address);
    }
    const target = webhook === undefined ? undefined : this.#webhooks.get(webhook);
    if (target === undefined || this.#webhookChannel === undefined) return { ok: false, permanent: true, message: `webhook '${webhook ?? '?'}' is no longer configured` };
    return this.#webhookChannel.post(target, id, request, attempt);
  }

  /** Commits one attempt's outcome: sent, tried again later, or failed for good, each with its audit entry. */
  async #record(id: string, request: NotificationRequest, target: Target, attempt: number, outcome: DeliveryOutcome): Promise<void> {
    const now = this.#options.clock.now();
    if (outcome.ok) {
      await this.#options.operations.commit({
        outboxUpdates: [{ id, status: 'sent', attempts: attempt, nextAttemptAt: now }],
        audit: [auditEntry('notification.sent', request, target, { delivery: id, attempts: attempt, detail: outcome.detail })],
      });
      this.#count(target.channel, 'sent');
      return;
    }
    this.#lastFailure = { channel: target.channel, at: new Date(now).toISOString(), message: outcome.message };
    const delay = outcome.permanent ? undefined : retryDelay(this.#retry, attempt);
    if (delay === undefined) {
      const reason = outcome.permanent ? 'refused; trying again would not help' : `gave up after ${attempt} attempt(s)`;
      await this.#options.operations.commit({
        outboxUpdates: [{ id, status: 'failed', attempts: attempt, nextAttemptAt: now, lastError: outcome.message }],
        audit: [auditEntry('notification.failed', request, target, { delivery: id, attempts: attempt, error: outcome.message, code: DELIVERY_ERROR }, reason)],
      });
      this.#count(target.channel, 'failed');
      return;
    }
    const nextAttemptAt = now + delay;
    await this.#options.operations.commit({
      outboxUpdates: [{ id, status: 'pending', attempts: attempt, nextAttemptAt, lastError: outcome.message }],
      audit: [auditEntry('notification.attempt.failed', request, target, { delivery: id, attempts: attempt, error: outcome.message, code: DELIVERY_ERROR, nextAttemptAt: new Date(nextAttemptAt).toISOString() })],
    });
    this.#count(target.channel, 'retried');
    this.#retryTimes.push(nextAttemptAt);
    this.#arm();
  }

  /** An in-app delivery left pending (not made by this version's expansion, which sends them at once). */
  async #deliverInApp(message: OutboxMessage, request: NotificationRequest, recipient: string): Promise<void> {
    const now = this.#options.clock.now();
    const { change, notification } = this.#inbox.entryFor(request, recipient, now);
    await this.#options.operations.commit({
      records: [change],
      outboxUpdates: [{ id: message.id, status: 'sent', attempts: message.attempts + 1, nextAttemptAt: now }],
      audit: [auditEntry('notification.sent', request, { channel: 'in-app', recipient }, { delivery: message.id, attempts: message.attempts + 1 })],
    });
    this.#count('in-app', 'sent');
    this.#inbox.publish(notification);
  }

  /** Arms the one Clock timer for the earliest known retry, or the next sweep. */
  #arm(): void {
    if (!this.#running) return;
    const now = this.#options.clock.now();
    let next = now + SWEEP_MS;
    for (const at of this.#retryTimes) next = Math.min(next, at);
    if (this.#timer !== undefined && this.#timerAt <= next) return;
    this.#timer?.cancel();
    this.#timerAt = next;
    this.#timer = this.#options.clock.at(next, () => {
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
      const firedAt = this.#options.clock.now();
      const later = this.#retryTimes.filter((at) => at > firedAt);
      this.#retryTimes.splice(0, this.#retryTimes.length, ...later);
      this.#kick();
    });
  }

  #count(channel: DeliveryChannel, result: keyof ChannelCounts): void {
    this.#counts[channel][result] += 1;
    this.#options.metrics.inc(METRIC, METRIC_HELP, 1, { channel, result });
  }
}
