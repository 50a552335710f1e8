/**
 * Engine status: each engine's checkpoint, lag behind the log head, and handler failures.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';

export function engineRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/v1/engines',
      {
        config: { access: { permission: 'metrics:read' } },
        schema: {
          summary: 'Engines with their checkpoint, lag (events not yet processed) and failures.',
          tags: ['operations'],
          response: {
            200: Type.Object({
              engines: Type.Array(Type.Object({ id: Type.String(), checkpoint: Type.Integer(), lag: Type.Integer(), failures: Type.Integer() })),
            }),
            ...errorResponses,
          },
        },
      },
      async () => ({ engines: await context.engines() }),
    );
  };
}
