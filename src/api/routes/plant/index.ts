/**
 * The plant tree: the ISA-95 hierarchy with path ids, as configured.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';

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
  };
}
