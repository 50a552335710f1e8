/**
 * Samples: write historian values, read raw points or per-bucket aggregates, and list the series there are.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertAllowed } from '../../../core/access.js';
import { PlantfabricError } from '../../../core/errors.js';
import { QualitySchema, SampleSchema } from '../../../core/event.js';
import { principalOf } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';
import { scopeOfEquipment, visibleTo } from '../../scope.js';

const SampleQuery = Type.Object({
  equipment: Type.String({ description: 'Equipment path.' }),
  signal: Type.String(),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  bucket: Type.Optional(Type.Integer({ minimum: 1, description: 'Bucket width in ms: returns min/max/avg/count per bucket instead of raw points.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});

const Point = Type.Object({ ts: Type.Integer(), value: Type.Number(), quality: QualitySchema });
const Bucket = Type.Object({ ts: Type.Integer(), min: Type.Number(), max: Type.Number(), avg: Type.Number(), count: Type.Integer() });

export function sampleRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/api/v1/samples',
      {
        config: { access: { permission: 'samples:write' } },
        bodyLimit: 64 * 1024 * 1024,
        // Items are validated one by one by the pipeline, so one bad sample does not sink a batch.
        validatorCompiler: () => () => true,
        schema: {
          summary: 'Write one sample or a batch to the historian; repeated (equipment, signal, ts) are ignored.',
          tags: ['samples'],
          body: Type.Union([SampleSchema, Type.Array(SampleSchema)]),
          response: { 200: Type.Object({ written: Type.Integer(), duplicates: Type.Integer(), rejected: Type.Array(Type.Unknown()) }), ...errorResponses },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const items: unknown[] = Array.isArray(request.body) ? request.body : [request.body];
        const equipment = items.map((item) => (typeof item === 'object' && item !== null && typeof (item as { equipment?: unknown }).equipment === 'string' ? (item as { equipment: string }).equipment : undefined));
        assertAllowed(principal, 'samples:write', scopeOfEquipment(context.plant, equipment.filter((path) => path !== undefined)));
        const outcome = await context.ingestor.ingestSamples(items, { source: { system: 'http', connector: 'api', address: principal.userId } });
        const rejection = outcome.rejected[0];
        if (rejection !== undefined) {
          throw new PlantfabricError(rejection.code, `${rejection.message}; ${outcome.written} written`, { details: outcome });
        }
        return outcome;
      },
    );

    app.get(
      '/api/v1/samples',
      {
        config: { access: { permission: 'samples:read' } },
        schema: {
          summary: 'Raw samples of one signal in a time window, or aggregates per bucket.',
          tags: ['samples'],
          querystring: SampleQuery,
          response: { 200: Type.Object({ points: Type.Optional(Type.Array(Point)), buckets: Type.Optional(Type.Array(Bucket)) }), ...errorResponses },
        },
      },
      async (request) => {
        const query = request.query;
        assertAllowed(principalOf(request), 'samples:read', scopeOfEquipment(context.plant, [query.equipment]));
        const range = {
          equipment: query.equipment,
          signal: query.signal,
          from: Date.parse(query.from),
          to: Date.parse(query.to),
          ...(query.limit === undefined ? {} : { limit: query.limit }),
        };
        if (query.bucket !== undefined) return { buckets: await context.stores.historian.aggregate({ ...range, bucketMs: query.bucket }) };
        return { points: await context.stores.historian.range(range) };
      },
    );

    app.get(
      '/api/v1/samples/series',
      {
        config: { access: { permission: 'samples:read' } },
        schema: {
          summary: 'The series in the historian, optionally below an equipment path.',
          tags: ['samples'],
          querystring: Type.Object({ equipment: Type.Optional(Type.String()) }),
          response: {
            200: Type.Object({
              series: Type.Array(Type.Object({ equipment: Type.String(), signal: Type.String(), first: Type.Integer(), last: Type.Integer(), count: Type.Integer() })),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const visible = visibleTo(principalOf(request), 'samples:read', context.plant);
        const series = await context.stores.historian.series(request.query.equipment);
        return { series: series.filter((entry) => visible(entry.equipment)) };
      },
    );
  };
}
