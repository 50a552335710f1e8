/**
 * The live stream: server-sent events of the log, filtered by type, equipment and the caller's areas. A client that
 * reconnects with Last-Event-ID (or `?after=`) first gets what it missed from the log, then live events, with no gap
 * and no repeat: each SSE id is the event's log position.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { StoredEvent } from '../../../core/event.js';
import { PlantModel } from '../../../core/plant-model.js';
import { principalOf } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';
import { visibleTo } from '../../scope.js';

const HEARTBEAT_MS = 15_000;
const CATCH_UP_PAGE = 1000;

const StreamQuery = Type.Object({
  type: Type.Optional(Type.String({ description: 'Comma-separated types; an entry ending in "." matches a prefix (equipment.).' })),
  equipment: Type.Optional(Type.String({ description: 'Equipment path; the path and everything below it.' })),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Start after this log position (like Last-Event-ID).' })),
  named: Type.Optional(
    Type.Boolean({
      default: true,
      description: 'true: each SSE event is named by its type (listen per type); false: unnamed, so a browser EventSource gets every event in onmessage.',
    }),
  ),
});

function typeFilter(spec: string | undefined): (type: string) => boolean {
  if (spec === undefined || spec.trim() === '') return () => true;
  const entries = spec.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  return (type) => entries.some((entry) => (entry.endsWith('.') || entry.endsWith('*') ? type.startsWith(entry.replace(/\*$/, '')) : type === entry));
}

export function streamRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const open = new Set<() => void>();
    app.addHook('onClose', async () => {
      for (const close of open) close();
    });

    app.get(
      '/api/v1/stream',
      {
        config: { access: { permission: 'events:read' } },
        schema: {
          summary: 'Server-sent events of the event log (text/event-stream); id = log position.',
          tags: ['events'],
          querystring: StreamQuery,
          response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const visible = visibleTo(principal, 'events:read', context.plant);
        const typeMatches = typeFilter(request.query.type);
        const equipment = request.query.equipment;
        const named = request.query.named !== false;
        const matches = (event: StoredEvent): boolean =>
          typeMatches(event.type) &&
          visible(event.subject.equipment) &&
          (equipment === undefined || (event.subject.equipment !== undefined && PlantModel.isWithin(event.subject.equipment, equipment)));
        const lastEventId = Number(request.headers['last-event-id']);
        let sent = request.query.after ?? (Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : await context.stores.events.head());

        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        raw.write(': connected\n\n');

        const write = (events: readonly StoredEvent[]): void => {
          for (const event of events) {
            if (event.position <= sent) continue;
            sent = event.position;
            if (matches(event)) raw.write(`id: ${event.position}\n${named ? `event: ${event.type}\n` : ''}data: ${JSON.stringify(event)}\n\n`);
          }
        };
        // Subscribe before catching up; live batches wait in `pending` until the log has been read up to them.
        let pending: StoredEvent[] | undefined = [];
        const unsubscribe = context.bus.subscribe((events) => {
          if (pending !== undefined) pending.push(...events);
          else write(events);
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

        try {
          for (;;) {
            const page = await context.stores.events.readFrom(sent, CATCH_UP_PAGE);
            if (page.length === 0) break;
            write(page);
          }
        } catch (error) {
          request.log.error({ err: error }, 'stream catch-up failed');
          close();
          return;
        }
        const waiting = pending;
        pending = undefined;
        write(waiting);
      },
    );
  };
}
