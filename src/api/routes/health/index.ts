/**
 * Liveness (`/healthz`, public) and Prometheus metrics (`/metrics`, for a token with metrics:read).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { describeError } from '../../../core/errors.js';
import type { ApiContext } from '../../context.js';
import { ErrorResponseSchema, errorResponses } from '../../schemas.js';

export function healthRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/healthz',
      {
        config: { access: { public: true } },
        schema: {
          summary: 'Liveness: 200 while the store answers.',
          tags: ['operations'],
          response: { 200: Type.Object({ status: Type.Literal('ok'), head: Type.Integer() }), 503: ErrorResponseSchema },
        },
      },
      async (_request, reply) => {
        try {
          return { status: 'ok' as const, head: await context.stores.events.head() };
        } catch (error) {
          return reply.status(503).send({ error: { code: 'PF_ERR_STORE_UNAVAILABLE', message: describeError(error) } });
        }
      },
    );

    app.get(
      '/metrics',
      {
        config: { access: { permission: 'metrics:read' } },
        schema: { summary: 'Prometheus text format.', tags: ['operations'], response: { 200: Type.String(), ...errorResponses } },
      },
      async (_request, reply) => {
        return reply.type('text/plain; version=0.0.4; charset=utf-8').send(await context.metrics.render());
      },
    );
  };
}
