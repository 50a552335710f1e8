/**
 * Events: ingest (one or a batch, through the full pipeline) and query (filters, paging by position).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertAllowed } from '../../../core/access.js';
import { PlantfabricError } from '../../../core/errors.js';
import { EventInputSchema } from '../../../core/event.js';
import { principalOf } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { errorResponses, StoredEventSchema } from '../../schemas.js';
import { scopeOfEquipment, visibleTo } from '../../scope.js';

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const DEFAULT_LIMIT = 1000;

const IngestResponse = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(Type.Unknown()),
  positions: Type.Union([Type.Object({ first: Type.Integer(), last: Type.Integer() }), Type.Null()]),
});

const EventQuery = Type.Object({
  type: Type.Optional(Type.String({ description: 'Comma-separated event types.' })),
  equipment: Type.Optional(Type.String({ description: 'Equipment path; matches the path and everything below it.' })),
  workOrder: Type.Optional(Type.String()),
  lot: Type.Optional(Type.String()),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'occurredAt >= from' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'occurredAt < to' })),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Only events after this log position (the `next` of the previous page).' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: DEFAULT_LIMIT })),
  newestFirst: Type.Optional(Type.Boolean({ description: 'Latest occurrence first (a machine\'s recent history); no paging.' })),
});

export function eventRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    // The raw bytes go to the pipeline untouched, so malformed JSON is dead-lettered exactly as it arrived.
    app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => done(null, body));

    app.post(
      '/api/v1/events',
      {
        config: { access: { permission: 'events:write' } },
        bodyLimit: MAX_BODY_BYTES,
        // The body is validated by the ingest pipeline item by item (so good items of a batch are kept); the schema
        // here documents it in OpenAPI.
        validatorCompiler: () => () => true,
        schema: {
          summary: 'Ingest one event or a batch (up to 64 MiB). Idempotent: re-sending is always safe.',
          tags: ['events'],
          body: Type.Union([EventInputSchema, Type.Array(EventInputSchema)]),
          response: { 200: IngestResponse, ...errorResponses },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const raw = request.body as unknown as Buffer;
        const outcome = await context.ingestor.ingestRaw(raw, {
          source: { system: 'http', connector: 'api', address: principal.userId },
          contentType: request.headers['content-type'] ?? 'application/json',
          authorize: (events) => assertAllowed(principal, 'events:write', scopeOfEquipment(context.plant, events.map((event) => event.subject.equipment))),
        });
        const first = outcome.accepted[0];
        const last = outcome.accepted[outcome.accepted.length - 1];
        const summary = {
          accepted: outcome.accepted.length,
          duplicates: outcome.duplicates.length,
          rejected: outcome.rejected,
          positions: first === undefined || last === undefined ? null : { first: first.position, last: last.position },
        };
        const rejection = outcome.rejected[0];
        if (rejection !== undefined) {
          const more = outcome.rejected.length > 1 ? ` (and ${outcome.rejected.length - 1} more)` : '';
          throw new PlantfabricError(rejection.code, `${rejection.message}${more}; ${summary.accepted} accepted, ${summary.duplicates} duplicates`, { details: summary });
        }
        return summary;
      },
    );

    app.get(
      '/api/v1/events',
      {
        config: { access: { permission: 'events:read' } },
        schema: {
          summary: 'Query the event log in position order; page with `after` = the previous `next`.',
          tags: ['events'],
          querystring: EventQuery,
          response: { 200: Type.Object({ events: Type.Array(StoredEventSchema), next: Type.Union([Type.Integer(), Type.Null()]) }), ...errorResponses },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const query = request.query;
        if (query.equipment !== undefined) assertAllowed(principal, 'events:read', scopeOfEquipment(context.plant, [query.equipment]));
        const limit = query.limit ?? DEFAULT_LIMIT;
        const events = await context.stores.events.query({
          ...(query.type === undefined ? {} : { types: query.type.split(',').map((type) => type.trim()).filter((type) => type !== '') }),
          ...(query.equipment === undefined ? {} : { equipment: query.equipment }),
          ...(query.workOrder === undefined ? {} : { workOrder: query.workOrder }),
          ...(query.lot === undefined ? {} : { lot: query.lot }),
          ...(query.from === undefined ? {} : { from: Date.parse(query.from) }),
          ...(query.to === undefined ? {} : { to: Date.parse(query.to) }),
          ...(query.after === undefined ? {} : { afterPosition: query.after }),
          ...(query.newestFirst === true ? { newestFirst: true } : {}),
          limit,
        });
        const visible = visibleTo(principal, 'events:read', context.plant);
        // `next` follows the last row scanned, not the last one shown, so filtering by area never stalls paging.
        const next = events.length === limit && query.newestFirst !== true ? events[events.length - 1]!.position : null;
        return { events: events.filter((event) => visible(event.subject.equipment)), next };
      },
    );
  };
}
