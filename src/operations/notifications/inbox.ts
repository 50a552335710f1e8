/**
 * The in-app side of notifications: each user's list (records of kind `notification-inbox:<user>`, read or unread,
 * pruned to the newest `inboxSize`), the live subscribers behind the SSE stream, and the user's channel preferences
 * (records of kind `notification-preferences`).
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { NotFoundError } from '../../core/errors.js';
import {
  PREFERENCES_RECORD_KIND,
  type EffectivePreferences,
  type InAppNotification,
  type NotificationPreferences,
} from '../../core/notification-inbox.js';
import type { NotificationRequest } from '../../core/notifications.js';
import type { ChannelsBySeverity } from '../../core/notifications-config.js';
import type { OperationsStore, RecordChange } from '../../core/operations-store.js';
import type { RecordStore } from '../../core/store.js';
import { effectiveChannelTable } from './delivery-plan.js';

/** Who the users are and where their email goes (the runtime hands in the auth service's users). */
export interface UserDirectory {
  getUser(id: string): Promise<{ id: string; name: string; email?: string } | undefined>;
}

interface StoredPreferences extends NotificationPreferences {
  updatedAt: string;
}

/** What the inbox is built from. */
export interface InboxOptions {
  records: RecordStore;
  operations: OperationsStore;
  users: UserDirectory;
  clock: Clock;
  defaults: ChannelsBySeverity | undefined;
  emailConfigured: boolean;
  /** Notifications kept per user. */
  size: number;
  /** Told when a live listener throws (a broken SSE socket must not stop the others). */
  onListenerError: (error: unknown) => void;
}

/** The records kind of one user's in-app notifications. */
export function inboxKind(userId: string): string {
  return `notification-inbox:${userId}`;
}

/** Sortable by time (records list in id order), unique per key within one user's inbox. */
function notificationId(request: NotificationRequest): string {
  return `${String(Math.max(0, Math.trunc(request.at))).padStart(15, '0')}-${createHash('sha256').update(request.key).digest('hex').slice(0, 16)}`;
}

/** Users' in-app notifications, their live listeners and their preferences. */
export class InboxService {
  readonly #options: InboxOptions;
  readonly #listeners = new Map<string, Set<(notification: InAppNotification) => void>>();
  /** Users whose inbox grew since the last prune. */
  readonly #grown = new Set<string>();

  constructor(options: InboxOptions) {
    this.#options = options;
  }

  /** The record that stores an in-app notification (committed by the dispatcher with its audit entry). */
  entryFor(request: NotificationRequest, userId: string, deliveredAt: number): { change: RecordChange; notification: InAppNotification } {
    const notification: InAppNotification = {
      id: notificationId(request),
      userId,
      key: request.key,
      kind: request.kind,
      title: request.title,
      body: request.body,
      severity: request.severity,
      ...(request.caseId === undefined ? {} : { caseId: request.caseId }),
      at: new Date(request.at).toISOString(),
      deliveredAt: new Date(deliveredAt).toISOString(),
      ...(request.data === undefined ? {} : { data: request.data }),
    };
    return { change: { kind: inboxKind(userId), id: notification.id, value: notification }, notification };
  }

  /** Pushes a stored notification to the user's live listeners. */
  publish(notification: InAppNotification): void {
    this.#grown.add(notification.userId);
    for (const listener of this.#listeners.get(notification.userId) ?? []) {
      try {
        listener(notification);
      } catch (error) {
        this.#options.onListenerError(error);
      }
    }
  }

  subscribe(userId: string, listener: (notification: InAppNotification) => void): () => void {
    let listeners = this.#listeners.get(userId);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(userId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#listeners.get(userId) === listeners) this.#listeners.delete(userId);
    };
  }

  /** Live listeners, for tests and status. */
  listenerCount(): number {
    let count = 0;
    for (const listeners of this.#listeners.values()) count += listeners.size;
    return count;
  }

  async list(userId: string, options: { limit: number; unreadOnly?: boolean }): Promise<{ notifications: InAppNotification[]; unread: number }> {
    const all = (await this.#options.records.list<InAppNotification>(inboxKind(userId))).map((record) => record.value).reverse();
    const unread = all.filter((notification) => notification.readAt === undefined);
    return { notifications: (options.unreadOnly === true ? unread : all).slice(0, options.limit), unread: unread.length };
  }

  /** @throws PF_ERR_NOTIFICATION_NOT_FOUND */
  async markRead(userId: string, id: string): Promise<InAppNotification> {
    const notification = await this.#options.records.get<InAppNotification>(inboxKind(userId), id);
    if (notification === undefined) throw new NotFoundError('PF_ERR_NOTIFICATION_NOT_FOUND', `you have no notification with id ${id}`);
    if (notification.readAt !== undefined) return notification;
    const read = { ...notification, readAt: new Date(this.#options.clock.now()).toISOString() };
    await this.#options.records.put(inboxKind(userId), id, read);
    return read;
  }

  async markAllRead(userId: string): Promise<number> {
    const readAt = new Date(this.#options.clock.now()).toISOString();
    const unread = (await this.#options.records.list<InAppNotification>(inboxKind(userId))).filter((record) => record.value.readAt === undefined);
    if (unread.length === 0) return 0;
    await this.#options.operations.commit({ records: unread.map((record) => ({ kind: inboxKind(userId), id: record.id, value: { ...record.value, readAt } })) });
    return unread.length;
  }

  /** The user's own choices, undefined when they made none. */
  async storedPreferences(userId: string): Promise<NotificationPreferences | undefined> {
    return (await this.#readPreferences(userId))?.preferences;
  }

  async preferences(userId: string): Promise<EffectivePreferences> {
    const [stored, user] = await Promise.all([this.#readPreferences(userId), this.#options.users.getUser(userId)]);
    const preferences = stored?.preferences ?? {};
    return {
      userId,
      preferences,
      effective: effectiveChannelTable(preferences, this.#options.defaults),
      ...(user?.email === undefined ? {} : { email: user.email }),
      emailConfigured: this.#options.emailConfigured,
      ...(stored === undefined ? {} : { updatedAt: stored.updatedAt }),
    };
  }

  async #readPreferences(userId: string): Promise<{ preferences: NotificationPreferences; updatedAt: string } | undefined> {
    const stored = await this.#options.records.get<StoredPreferences>(PREFERENCES_RECORD_KIND, userId);
    if (stored === undefined) return undefined;
    const { updatedAt, ...preferences } = stored;
    return { preferences, updatedAt };
  }

  async setPreferences(userId: string, preferences: NotificationPreferences, actor: string): Promise<EffectivePreferences> {
    const previous = await this.storedPreferences(userId);
    const stored: StoredPreferences = { ...preferences, updatedAt: new Date(this.#options.clock.now()).toISOString() };
    await this.#options.operations.commit({
      records: [{ kind: PREFERENCES_RECORD_KIND, id: userId, value: stored }],
      audit: [{
        actor,
        action: 'notification.preferences.changed',
        subject: { kind: 'user', id: userId },
        data: { preferences: { ...preferences }, ...(previous === undefined ? {} : { previous: { ...previous } }) },
      }],
    });
    return this.preferences(userId);
  }

  /** Drops the oldest notifications of users whose inbox grew beyond the kept size. */
  async prune(): Promise<number> {
    const users = [...this.#grown];
    this.#grown.clear();
    let removed = 0;
    for (const userId of users) {
      const records = await this.#options.records.list<InAppNotification>(inboxKind(userId));
      const excess = records.length - this.#options.size;
      if (excess <= 0) continue;
      await this.#options.operations.commit({ records: records.slice(0, excess).map((record) => ({ kind: inboxKind(userId), id: record.id, delete: true as const })) });
      removed += excess;
    }
    return removed;
  }
}
