/**
 * Authentication and the permission check for every route. Deny by default: a route that does not declare its
 * access makes the app refuse to start, and a request without a valid session or token gets 401.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertAllowed, type Permission, type Principal } from '../core/access.js';
import { AuthError } from '../core/errors.js';
import type { AuthService } from './auth/auth-service.js';

export const SESSION_COOKIE = 'pf_session';

export type RouteAccess = { public: true } | { permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Reads one cookie from the Cookie header (RFC 6265 pairs separated by `;`). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) return decodeURIComponent(part.slice(separator + 1).trim());
  }
  return undefined;
}

async function authenticate(request: FastifyRequest, auth: AuthService): Promise<Principal | undefined> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match === null ? undefined : auth.authenticateToken(match[1]!);
  }
  const session = readCookie(request.headers.cookie, SESSION_COOKIE);
  return session === undefined ? undefined : auth.authenticateSession(session);
}

/** The authenticated principal of a request that passed the access hook. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new AuthError('PF_ERR_AUTH_REQUIRED', 'authentication required');
  return request.principal;
}

export function installAccessControl(app: FastifyInstance, auth: AuthService): void {
  app.addHook('onRoute', (route) => {
    if (route.config?.access === undefined && !route.url.startsWith('/documentation')) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access; every route must (deny by default)`);
    }
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return; // 404 handler: nothing to protect
    if ('public' in access) return;
    const principal = await authenticate(request, auth);
    if (principal === undefined) {
      throw new AuthError('PF_ERR_AUTH_REQUIRED', 'authentication required: log in (POST /api/v1/auth/login) or send Authorization: Bearer <token>');
    }
    request.principal = principal;
    assertAllowed(principal, access.permission, { kind: 'any' });
  });
}
