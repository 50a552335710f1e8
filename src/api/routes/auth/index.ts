/**
 * Browser sessions: log in (sets an HttpOnly, SameSite=Strict cookie), log out, and who am I.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { RoleGrantSchema } from '../../../core/plant-config.js';
import { principalOf, readCookie, SESSION_COOKIE } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';

const UserView = Type.Object({ id: Type.String(), name: Type.String(), grants: Type.Array(RoleGrantSchema), via: Type.String() });

export function authRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/api/v1/auth/login',
      {
        config: { access: { public: true } },
        schema: {
          summary: 'Log in with a user name and password; sets the pf_session cookie.',
          tags: ['auth'],
          body: Type.Object({ username: Type.String({ minLength: 1 }), password: Type.String({ minLength: 1 }) }),
          response: { 200: Type.Object({ user: UserView, expiresAt: Type.String({ format: 'date-time' }) }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const session = await context.auth.login(request.body.username, request.body.password);
        const maxAge = Math.max(0, Math.floor((session.expiresAt - Date.now()) / 1000));
        void reply.header('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(session.sessionId)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`);
        const { userId, name, grants, via } = session.principal;
        return { user: { id: userId, name, grants, via }, expiresAt: new Date(session.expiresAt).toISOString() };
      },
    );

    app.post(
      '/api/v1/auth/logout',
      {
        config: { access: { public: true } },
        schema: { summary: 'End the session of the pf_session cookie, if any.', tags: ['auth'], response: { 204: Type.Null() } },
      },
      async (request, reply) => {
        const session = readCookie(request.headers.cookie, SESSION_COOKIE);
        if (session !== undefined) await context.auth.logout(session);
        return reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`).status(204).send(null);
      },
    );

    app.get(
      '/api/v1/auth/me',
      {
        config: { access: { permission: 'plant:read' } },
        schema: { summary: 'The caller and its grants.', tags: ['auth'], response: { 200: UserView, ...errorResponses } },
      },
      async (request) => {
        const { userId, name, grants, via } = principalOf(request);
        return { id: userId, name, grants, via };
      },
    );
  };
}
