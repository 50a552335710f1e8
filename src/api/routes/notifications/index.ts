/**
 * A person's notifications: the in-app list (read/unread), a live stream of new ones (server-sent events, only the
 * caller's own), and their channel preferences. Plus the dispatcher's health for whoever may read metrics.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { EffectivePreferencesSchema, NotificationPreferencesSchema, type InAppNotification } from '../../../core/notification-inbox.js';
import { principalOf } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';

const HEARTBEAT_MS = 15_000;

const NotificationView = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  key: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  severity: Type.String(),
  caseId: Type.Optional(Type.String()),
  at: Type.String({ format: 'date-time' }),
  deliveredAt: Type.String({ format: 'date-time' }),
  readAt: Type.Optional(Type.String({ format: 'date-time' })),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

const Counts = Type.Object({ sent: Type.Integer(), failed: Type.Integer(), retried: Type.Integer(), skipped: Type.Integer() });
const StatusView = Type.Object({
  state: Type.String(),
  emailConfigured: Type.Boolean(),
  webhooks: Type.Array(Type.String()),
  inFlight: Type.Integer(),
  channels: Type.Record(Type.String(), Counts),
  lastFailure: Type.Optional(Type.Object({ channel: Type.String(), at: Type.String(), message: Type.String() })),
});

export function notificationRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const open = new Set<() => void>();
    app.addHook('onClose', async () => {
      for (const close of open) close();
    });
    // Everyone may read their own notifications: every role holds plant:read, and nobody reads anyone else's.
    const own = { access: { permission: 'plant:read' as const } };

    app.get(
      '/api/v1/notifications',
      {
        config: own,
        schema: {
          summary: 'Your in-app notifications, newest first, and how many are unread.',
          tags: ['notifications'],
          querystring: Type.Object({
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
            unread: Type.Optional(Type.Boolean({ description: 'Only unread ones.' })),
          }),
          response: { 200: Type.Object({ notifications: Type.Array(NotificationView), unread: Type.Integer() }), ...errorResponses },
        },
      },
      async (request) => context.notifications.list(principalOf(request).userId, { limit: request.query.limit ?? 50, unreadOnly: request.query.unread === true }),
    );

    app.post(
      '/api/v1/notifications/:id/read',
      {
        config: own,
        schema: { summary: 'Mark one of your notifications read.', tags: ['notifications'], params: Type.Object({ id: Type.String() }), response: { 200: NotificationView, ...errorResponses } },
      },
      async (request) => context.notifications.markRead(principalOf(request).userId, request.params.id),
    );

    app.post(
      '/api/v1/notifications/read-all',
      {
        config: own,
        schema: { summary: 'Mark all your notifications read.', tags: ['notifications'], response: { 200: Type.Object({ marked: Type.Integer() }), ...errorResponses } },
      },
      async (request) => ({ marked: await context.notifications.markAllRead(principalOf(request).userId) }),
    );

    app.get(
      '/api/v1/notifications/stream',
      {
        config: own,
        schema: {
          summary: 'Server-sent events: your new in-app notifications as they are delivered (event: notification).',
          tags: ['notifications'],
          response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const userId = principalOf(request).userId;
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        raw.write(': connected\n\n');
        const unsubscribe = context.notifications.subscribe(userId, (notification: InAppNotification) => {
          raw.write(`id: ${notification.id}\nevent: notification\ndata: ${JSON.stringify(notification)}\n\n`);
        });
        const heartbeat = setInterval(() => raw.write(': keepalive\n\n'), HEARTBEAT_MS);
        const close = (): void => {
          unsubscribe();
          clearInterval(heartbeat);
          open.delete(close);
          if (!raw.writableEnded) raw.end();
        };
        open.add(close);
        request.raw.on('close', close);
      },
    );

    app.get(
      '/api/v1/me/notification-preferences',
      {
        config: own,
        schema: {
          summary: 'Your notification preferences and the channels that apply to you per severity.',
          tags: ['notifications'],
          response: { 200: EffectivePreferencesSchema, ...errorResponses },
        },
      },
      async (request) => context.notifications.preferences(principalOf(request).userId),
    );

    app.put(
      '/api/v1/me/notification-preferences',
      {
        config: own,
        schema: {
          summary: 'Replace your notification preferences (audited). Severities left out follow the plant defaults.',
          tags: ['notifications'],
          body: NotificationPreferencesSchema,
          response: { 200: EffectivePreferencesSchema, ...errorResponses },
        },
      },
      async (request) => {
        const userId = principalOf(request).userId;
        return context.notifications.setPreferences(userId, request.body, userId);
      },
    );

    app.get(
      '/api/v1/notifications/status',
      {
        config: { access: { permission: 'metrics:read' } },
        schema: { summary: 'The notification dispatcher: running, deliveries per channel and result, the last failure.', tags: ['notifications'], response: { 200: StatusView, ...errorResponses } },
      },
      async () => context.notifications.status(),
    );
  };
}
