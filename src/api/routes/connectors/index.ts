/**
 * Connector health: each endpoint's state (connecting, connected, degraded, disconnected, stopped), since when, the
 * last error, and what is waiting in store-and-forward.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { HEALTH_STATES } from '../../../core/health.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';

const Health = Type.Object({
  state: Type.Union(HEALTH_STATES.map((state) => Type.Literal(state))),
  since: Type.String({ format: 'date-time' }),
  lastError: Type.Optional(Type.Object({ message: Type.String(), code: Type.Optional(Type.String()), at: Type.String({ format: 'date-time' }) })),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export function connectorRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/v1/connectors',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          summary: 'Every configured connector with its health and buffered batches.',
          tags: ['operations'],
          response: {
            200: Type.Object({
              connectors: Type.Array(
                Type.Object({ id: Type.String(), kind: Type.String(), system: Type.String(), enabled: Type.Boolean(), health: Health, buffered: Type.Integer() }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async () => ({ connectors: context.connectors() }),
    );
  };
}
