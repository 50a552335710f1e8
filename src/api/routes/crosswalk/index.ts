/**
 * The identifier crosswalk over HTTP: list the mappings, and teach the running plant a new one.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { EntityKindSchema, ExternalSystemSchema } from '../../../core/plant-config.js';
import { principalOf } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';

const Mapping = Type.Object({
  kind: EntityKindSchema,
  canonical: Type.String({ minLength: 1 }),
  system: ExternalSystemSchema,
  externalId: Type.String({ minLength: 1 }),
  validFrom: Type.Optional(Type.String({ format: 'date-time' })),
  validTo: Type.Optional(Type.String({ format: 'date-time' })),
  provenance: Type.Optional(Type.String()),
});

/** Mappings learnt at run time may name any system, so the listing is not limited to the configured ones. */
const MappingView = Type.Composite([Type.Omit(Mapping, ['system']), Type.Object({ system: Type.String() })]);

export function crosswalkRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/v1/crosswalk',
      {
        config: { access: { permission: 'plant:read' } },
        schema: { summary: 'Every mapping, from plant.yaml and learnt.', tags: ['plant'], response: { 200: Type.Object({ mappings: Type.Array(MappingView) }), ...errorResponses } },
      },
      async () => ({
        mappings: context.crosswalk.crosswalk.mappings().map((mapping) => ({
          kind: mapping.kind,
          canonical: mapping.canonical,
          system: mapping.system,
          externalId: mapping.externalId,
          ...(mapping.validFrom === undefined ? {} : { validFrom: new Date(mapping.validFrom).toISOString() }),
          ...(mapping.validTo === undefined ? {} : { validTo: new Date(mapping.validTo).toISOString() }),
          ...(mapping.provenance === undefined ? {} : { provenance: mapping.provenance }),
        })),
      }),
    );

    app.post(
      '/api/v1/crosswalk',
      {
        config: { access: { permission: 'crosswalk:write' } },
        schema: { summary: 'Add a mapping; it applies at once and is kept across restarts.', tags: ['plant'], body: Mapping, response: { 201: Mapping, ...errorResponses } },
      },
      async (request, reply) => {
        const body = request.body;
        await context.crosswalk.add({
          kind: body.kind,
          canonical: body.canonical,
          system: body.system,
          externalId: body.externalId,
          provenance: body.provenance ?? `api:${principalOf(request).userId}`,
          ...(body.validFrom === undefined ? {} : { validFrom: Date.parse(body.validFrom) }),
          ...(body.validTo === undefined ? {} : { validTo: Date.parse(body.validTo) }),
        }, principalOf(request).userId);
        return reply.status(201).send(body);
      },
    );
  };
}
