/**
 * Serves the built web UI (web/dist) at `/`: the page and its hashed assets are public, everything they show comes from
 * the authenticated API. When the UI was not built, `/` says how to build it instead of a bare 404.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** web/dist beside src/ (sources run through tsx) or beside dist/ (the compiled package): both are two levels up. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export async function registerWebUi(app: FastifyInstance, root = WEB_DIST): Promise<void> {
  const built = existsSync(`${root}index.html`);
  const route = { config: { access: { public: true as const } }, schema: { hide: true } };
  if (!built) {
    app.get('/', route, async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send('Plantfabric API is running; the web UI is not built. Run `npm run build:web`, then reload. API: /api/v1/openapi.json\n'),
    );
    return;
  }
  // serve: false — only the two routes below exist, each declaring its (public) access like every other route.
  await app.register(fastifyStatic, { root, serve: false, cacheControl: false });
  app.get('/', route, async (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
  app.get('/assets/*', route, async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    // Asset names carry a content hash, so they can be cached for good.
    return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(`assets/${file}`);
  });
}
