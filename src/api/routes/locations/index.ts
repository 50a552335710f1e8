/**
 * Where-is (docs/locations.md#api): each RTLS tag's last position, the zone it is in and since when, and whether it
 * is misplaced. A tag in a zone that belongs to equipment is shown only to callers who may read that area.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../../core/errors.js';
import { principalOf } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';
import { visibleTo } from '../../scope.js';

const Iso = Type.String({ description: 'ISO 8601' });
const WhereaboutsSchema = Type.Object({
  tag: Type.String(),
  kind: Type.String({ description: 'tool, cart, forklift, person, ...; unknown for a tag the config does not list' }),
  name: Type.Optional(Type.String()),
  home: Type.Optional(Type.String()),
  position: Type.Union([Type.Object({ x: Type.Number(), y: Type.Number(), z: Type.Optional(Type.Number()) }), Type.Null()], { description: 'Metres on the hall map; null when never reported.' }),
  reportedAt: Type.Union([Iso, Type.Null()]),
  zone: Type.Union([Type.String(), Type.Null()], { description: 'The most specific zone it is in.' }),
  since: Type.Union([Iso, Type.Null()], { description: 'When it entered `zone`.' }),
  equipment: Type.Optional(Type.String({ description: 'Plant path of the most specific zone it is in that belongs to equipment.' })),
  zones: Type.Array(Type.Object({ zone: Type.String(), since: Iso })),
  atHome: Type.Union([Type.Boolean(), Type.Null()]),
  misplaced: Type.Optional(Type.Object({ outsideSince: Iso, flaggedAt: Iso })),
});

export function locationRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/v1/locations',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          summary: 'Where-is: every RTLS tag with its last position, zone and since when (your areas only).',
          tags: ['locations'],
          querystring: Type.Object({
            tag: Type.Optional(Type.String({ minLength: 1 })),
            zone: Type.Optional(Type.String({ minLength: 1, description: 'Only tags in this zone now.' })),
            kind: Type.Optional(Type.String({ minLength: 1 })),
          }),
          response: { 200: Type.Object({ now: Type.String({ description: 'Plant time (ISO 8601), to measure "since" against.' }), tags: Type.Array(WhereaboutsSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const visible = visibleTo(principalOf(request), 'plant:read', context.plant);
        const tags = context.locations.whereIs(request.query).filter((entry) => visible(entry.equipment));
        return { now: new Date(context.now()).toISOString(), tags };
      },
    );

    app.get(
      '/api/v1/locations/:tag',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          summary: 'Where one RTLS tag is.',
          tags: ['locations'],
          params: Type.Object({ tag: Type.String({ minLength: 1 }) }),
          response: { 200: WhereaboutsSchema, ...errorResponses },
        },
      },
      async (request) => {
        const visible = visibleTo(principalOf(request), 'plant:read', context.plant);
        const entry = context.locations.whereIs({ tag: request.params.tag }).find((candidate) => visible(candidate.equipment));
        if (entry === undefined) throw new NotFoundError('PF_ERR_NOT_FOUND', `no tag '${request.params.tag}' is known (or it is in an area you may not read)`);
        return entry;
      },
    );
  };
}
