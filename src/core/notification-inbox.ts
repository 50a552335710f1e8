/**
 * What a person sees of notifications (docs/notifications.md): their in-app notifications (kept, read or unread, and
 * pushed live), their channel preferences, and the dispatcher's health. Implemented by operations/notifications;
 * used by the HTTP API, which is handed it by the runtime.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Severity } from './context.js';
import { ChannelsBySeveritySchema, UserChannelSchema, type ChannelsBySeverity, type UserChannel } from './notifications-config.js';

/** The records kind preferences are kept under, one record per user id. */
export const PREFERENCES_RECORD_KIND = 'notification-preferences';

const Glob = Type.String({ minLength: 1, maxLength: 200, pattern: '^[a-z0-9.*-]+$' });

/** A user's own choices; anything left out follows the plant's defaults (`notifications.defaults`). */
export const NotificationPreferencesSchema = Type.Object(
  {
    channels: Type.Optional(
      Type.Object(
        {
          low: Type.Optional(Type.Array(UserChannelSchema, { uniqueItems: true })),
          medium: Type.Optional(Type.Array(UserChannelSchema, { uniqueItems: true })),
          high: Type.Optional(Type.Array(UserChannelSchema, { uniqueItems: true })),
          critical: Type.Optional(
            Type.Array(UserChannelSchema, { uniqueItems: true, minItems: 1, description: 'Critical notifications cannot be switched off, only moved between channels.' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    mute: Type.Optional(
      Type.Array(Glob, { maxItems: 100, uniqueItems: true, description: 'Kinds (globs such as case.commented or case.handover.*) never to be told about; critical ones still arrive.' }),
    ),
  },
  { additionalProperties: false },
);
export type NotificationPreferences = Static<typeof NotificationPreferencesSchema>;

/** Preferences as answered to their owner: their own choices, and what applies after the plant's defaults. */
export const EffectivePreferencesSchema = Type.Object({
  userId: Type.String(),
  preferences: NotificationPreferencesSchema,
  effective: ChannelsBySeveritySchema,
  /** Where email goes; absent: email is skipped for this user. */
  email: Type.Optional(Type.String()),
  emailConfigured: Type.Boolean({ description: 'Whether the plant has an SMTP server configured.' }),
  updatedAt: Type.Optional(Type.String({ format: 'date-time' })),
});
export type EffectivePreferences = Static<typeof EffectivePreferencesSchema> & { effective: Required<ChannelsBySeverity> };

/** One notification in a person's in-app list. */
export interface InAppNotification {
  /** Sorts by the request's time. */
  id: string;
  userId: string;
  /** The request's de-duplication key. */
  key: string;
  kind: string;
  title: string;
  body: string;
  severity: Severity;
  caseId?: string;
  /** When it happened (the request's time), ISO 8601. */
  at: string;
  /** When it was delivered in-app, ISO 8601. */
  deliveredAt: string;
  readAt?: string;
  data?: Record<string, unknown>;
}

/** Delivery counts of one channel since start. */
export interface ChannelCounts {
  sent: number;
  failed: number;
  /** Failed attempts that will be tried again. */
  retried: number;
  /** Not attempted: no email address, muted, unknown user, channel not configured. */
  skipped: number;
}

export interface NotificationStatus {
  state: 'running' | 'stopped';
  emailConfigured: boolean;
  webhooks: string[];
  /** Deliveries being attempted right now. */
  inFlight: number;
  channels: Record<UserChannel | 'webhook', ChannelCounts>;
  lastFailure?: { channel: string; at: string; message: string };
}

/** What the API needs of notifications. */
export interface NotificationInbox {
  /** The user's notifications, newest first, and how many are unread. */
  list(userId: string, options: { limit: number; unreadOnly?: boolean }): Promise<{ notifications: InAppNotification[]; unread: number }>;
  /**
   * Marks one notification read (idempotent).
   * @throws PF_ERR_NOTIFICATION_NOT_FOUND when the user has no notification with that id
   */
  markRead(userId: string, id: string): Promise<InAppNotification>;
  /** Marks every unread notification read; returns how many changed. */
  markAllRead(userId: string): Promise<number>;
  /** Hears the user's new in-app notifications as they are delivered (after they are stored). */
  subscribe(userId: string, listener: (notification: InAppNotification) => void): () => void;
  preferences(userId: string): Promise<EffectivePreferences>;
  /** Replaces the user's preferences, audited as `notification.preferences.changed` by `actor`. */
  setPreferences(userId: string, preferences: NotificationPreferences, actor: string): Promise<EffectivePreferences>;
  status(): NotificationStatus;
}
