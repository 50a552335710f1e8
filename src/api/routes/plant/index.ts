/**
 * The plant tree: the ISA-95 hierarchy with path ids, as configured.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PlantModel } from '../../../core/plant-model.js';
import { principalOf } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';
import { visibleTo } from '../../scope.js';

const EquipmentStatusSchema = Type.Object({
  equipment: Type.String(),
  state: Type.Optional(Type.String()),
  previousState: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  since: Type.Optional(Type.String({ description: 'When the current state began (ISO 8601).' })),
  quality: Type.Optional(Type.String()),
  workOrder: Type.Optional(Type.String()),
  operation: Type.Optional(Type.String()),
  lot: Type.Optional(Type.String()),
  activeAlarms: Type.Array(
    Type.Object({ alarm: Type.String(), since: Type.String(), severity: Type.Optional(Type.Number()), message: Type.Optional(Type.String()) }),
  ),
  lastCount: Type.Optional(Type.Object({ good: Type.Number(), scrap: Type.Number(), at: Type.String() })),
  updatedAt: Type.Optional(Type.String()),
  source: Type.Optional(Type.String({ description: 'The system that last reported the state.' })),
  connector: Type.Optional(Type.String({ description: 'The connector it came through.' })),
});

const PlantNodeSchema = Type.Recursive(
  (Self) =>
    Type.Object({
      path: Type.String(),
      id: Type.String(),
      level: Type.String(),
      name: Type.String(),
      class: Type.Optional(Type.String()),
      attributes: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
      children: Type.Array(Self),
    }),
  { $id: 'PlantNode' },
);

export function plantRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/v1/plant',
      {
        config: { access: { permission: 'plant:read' } },
        schema: { summary: 'The equipment hierarchy (enterprise → site → area → line → cell → equipment).', tags: ['plant'], response: { 200: PlantNodeSchema, ...errorResponses } },
      },
      async () => context.plant.root,
    );

    app.get(
      '/api/v1/plant/status',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          summary: "Each machine's live status: state and since when, running work order, active alarms, last count (your areas only).",
          tags: ['plant'],
          querystring: Type.Object({ equipment: Type.Optional(Type.String({ description: 'Only this path and below.' })) }),
          response: { 200: Type.Object({ now: Type.String({ description: 'Plant time (ISO 8601), to measure "since" against.' }), equipment: Type.Array(EquipmentStatusSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const visible = visibleTo(principalOf(request), 'plant:read', context.plant);
        const below = request.query.equipment;
        const statuses = context.status
          .all()
          .filter((status) => visible(status.equipment) && (below === undefined || PlantModel.isWithin(status.equipment, below)));
        return { now: new Date(context.now()).toISOString(), equipment: statuses };
      },
    );
  };
}
