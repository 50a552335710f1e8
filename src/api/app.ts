/**
 * The HTTP API (Fastify): one encapsulated plugin per resource, a schema on every route, one error mapping, and
 * access control on every request. The OpenAPI document is generated from the same schemas.
 */
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerFormats } from '../core/formats.js';
import { installAccessControl } from './access-hook.js';
import type { ApiContext } from './context.js';
import { installErrorHandling } from './error-handler.js';
import { auditRoutes } from './routes/audit/index.js';
import { authRoutes } from './routes/auth/index.js';
import { caseRoutes } from './routes/cases/index.js';
import { connectorRoutes } from './routes/connectors/index.js';
import { contextRoutes } from './routes/context/index.js';
import { crosswalkRoutes } from './routes/crosswalk/index.js';
import { deadLetterRoutes } from './routes/deadletters/index.js';
import { engineRoutes } from './routes/engines/index.js';
import { eventRoutes } from './routes/events/index.js';
import { healthRoutes } from './routes/health/index.js';
import { locationRoutes } from './routes/locations/index.js';
import { notificationRoutes } from './routes/notifications/index.js';
import { oeeRoutes } from './routes/oee/index.js';
import { plantRoutes } from './routes/plant/index.js';
import { sampleRoutes } from './routes/samples/index.js';
import { spcRoutes } from './routes/spc/index.js';
import { streamRoutes } from './routes/stream/index.js';
import { ErrorResponseSchema } from './schemas.js';
import { registerWebUi } from './web-ui.js';

export interface AppOptions {
  /** Log every request as JSON lines. */
  logger?: boolean;
  /** Serve the web UI from web/dist at `/`. Default true. */
  webUi?: boolean;
}

function registerMetrics(app: FastifyInstance, context: ApiContext): void {
  const { metrics, stores } = context;
  metrics.collectGauge('pf_dead_letters', 'Dead letters by status.', async () => [
    { labels: { status: 'open' }, value: await stores.deadLetters.count('open') },
  ]);
  metrics.collectGauge('pf_event_log_head', 'Position of the last event in the log.', async () => [{ labels: {}, value: await stores.events.head() }]);
  metrics.collectGauge('pf_engine_lag_events', 'Events in the log an engine has not processed yet.', async () =>
    (await context.engines()).map((engine) => ({ labels: { engine: engine.id }, value: engine.lag })),
  );
  metrics.collectGauge('pf_engine_checkpoint', 'Last log position each engine processed.', async () =>
    (await context.engines()).map((engine) => ({ labels: { engine: engine.id }, value: engine.checkpoint })),
  );
  app.addHook('onResponse', async (request, reply) => {
    metrics.inc('pf_http_requests_total', 'HTTP requests by route and status.', 1, {
      route: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      status: String(reply.statusCode),
    });
  });
}

/** Builds the app with every route registered; call `listen` or use `inject` for tests. */
export async function buildApp(context: ApiContext, options: AppOptions = {}): Promise<FastifyInstance> {
  registerFormats();
  const app = Fastify({
    logger: options.logger === true,
    // Long-lived SSE streams must not hold up shutdown; they are ended by the stream plugin's onClose hook.
    forceCloseConnections: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  app.addSchema(ErrorResponseSchema);
  installErrorHandling(app);
  installAccessControl(app, context.auth);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Plantfabric API', version: '1', description: 'One shared operating layer above a factory\'s systems.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'pf_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  registerMetrics(app, context);
  for (const routes of [authRoutes, eventRoutes, sampleRoutes, plantRoutes, streamRoutes, deadLetterRoutes, crosswalkRoutes, engineRoutes, connectorRoutes, contextRoutes, caseRoutes, notificationRoutes, auditRoutes, oeeRoutes, spcRoutes, locationRoutes, healthRoutes]) {
    await app.register(routes(context));
  }
  app.get(
    '/api/v1/openapi.json',
    { config: { access: { public: true } }, schema: { hide: true } },
    async () => app.swagger(),
  );
  if (options.webUi !== false) await registerWebUi(app);
  await app.ready();
  return app;
}
