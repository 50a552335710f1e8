/**
 * Cases: list and read (area-scoped by the caller's grants), the lifecycle actions, comments, attachments by
 * reference, and metrics. Who may move a case (its owner, a supervisor of its area, an admin) is decided by the case
 * operations; this layer checks the permission in the case's area first (docs/cases.md).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ALL_AREAS, areasWith, assertAllowed, type Permission, type Principal } from '../../../core/access.js';
import { CASE_ACTIONS, CASE_STATUSES, type CaseAction, type CaseDoc, type CaseStatus } from '../../../core/cases.js';
import { InputError, NotFoundError } from '../../../core/errors.js';
import type { CaseHistoryEntry } from '../../../core/operations-store.js';
import { principalOf } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { ErrorResponseSchema, errorResponses } from '../../schemas.js';
import { CaseMetricsSchema, CaseSchema, HistoryEntrySchema } from './schemas.js';

const responses = { ...errorResponses, 409: ErrorResponseSchema };
const DAY_MS = 86_400_000;

const ListQuery = Type.Object({
  status: Type.Optional(Type.String({ description: `Comma-separated statuses: ${CASE_STATUSES.join(', ')}` })),
  area: Type.Optional(Type.String()),
  owner: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'opened at or after' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'opened before' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

const ActionBody = Type.Object(
  {
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    owner: Type.Optional(Type.String({ minLength: 1, description: 'assign: the new owner (user id)' })),
    resolution: Type.Optional(Type.String({ maxLength: 10_000, description: 'resolve: what was done' })),
  },
  { additionalProperties: false },
);

/** The areas the caller may use `permission` in; undefined for plant-wide. */
function scopeOf(principal: Principal, permission: Permission): string[] | undefined {
  const areas = areasWith(principal, permission);
  return areas.has(ALL_AREAS) ? undefined : [...areas];
}

function parseStatuses(text: string | undefined): CaseStatus[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const statuses = text.split(',').map((status) => status.trim()).filter((status) => status !== '');
  const unknown = statuses.filter((status) => !(CASE_STATUSES as readonly string[]).includes(status));
  if (unknown.length > 0) throw new InputError('PF_ERR_REQUEST_INVALID', `unknown status ${unknown.join(', ')}`, { details: { allowed: CASE_STATUSES } });
  return statuses as CaseStatus[];
}

export function caseRoutes(context: ApiContext): FastifyPluginAsync {
  /** The case, if the caller may use `permission` where it lies; a case in someone else's area is not found. */
  async function caseFor(request: FastifyRequest, id: string, permission: Permission): Promise<{ case: CaseDoc; history: CaseHistoryEntry[] }> {
    const principal = principalOf(request);
    const found = await context.cases.get(id);
    const readable = found !== undefined && (scopeOf(principal, 'cases:read')?.includes(found.case.area ?? '') ?? true);
    if (found === undefined || !readable) throw new NotFoundError('PF_ERR_CASE_NOT_FOUND', `no case ${id}`);
    assertAllowed(principal, permission, found.case.area === undefined ? { kind: 'plant' } : { kind: 'areas', areas: [found.case.area] });
    return found;
  }

  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/v1/cases',
      {
        config: { access: { permission: 'cases:read' } },
        schema: { summary: 'Cases in your areas, newest first.', tags: ['cases'], querystring: ListQuery, response: { 200: Type.Object({ cases: Type.Array(CaseSchema) }), ...responses } },
      },
      async (request) => {
        const { query } = request;
        const status = parseStatuses(query.status);
        const areas = scopeOf(principalOf(request), 'cases:read');
        const cases = await context.cases.list({
          ...(status === undefined ? {} : { status }),
          ...(query.area === undefined ? {} : { area: query.area }),
          ...(query.owner === undefined ? {} : { owner: query.owner }),
          ...(query.kind === undefined ? {} : { kind: query.kind }),
          ...(query.from === undefined ? {} : { from: Date.parse(query.from) }),
          ...(query.to === undefined ? {} : { to: Date.parse(query.to) }),
          ...(areas === undefined ? {} : { areas }),
          limit: query.limit ?? 100,
          offset: query.offset ?? 0,
        });
        return { cases };
      },
    );

    app.get(
      '/api/v1/cases/metrics',
      {
        config: { access: { permission: 'cases:read' } },
        schema: {
          summary: 'Time to first assignment, acknowledge and resolve (p50/p90/mean, seconds), SLA breach and reopen rates, cases per area and kind, for cases opened in [from, to) in your areas. Default: the last 7 days.',
          tags: ['cases'],
          querystring: Type.Object({ from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })) }),
          response: { 200: CaseMetricsSchema, ...responses },
        },
      },
      async (request) => {
        const to = request.query.to === undefined ? context.now() + 1 : Date.parse(request.query.to);
        const from = request.query.from === undefined ? to - 7 * DAY_MS : Date.parse(request.query.from);
        if (!(from < to)) throw new InputError('PF_ERR_REQUEST_INVALID', 'from must be before to');
        const areas = scopeOf(principalOf(request), 'cases:read');
        return context.cases.metrics({ from, to, ...(areas === undefined ? {} : { areas }) });
      },
    );

    app.get(
      '/api/v1/cases/:id',
      {
        config: { access: { permission: 'cases:read' } },
        schema: { summary: 'One case with its history.', tags: ['cases'], params: IdParams, response: { 200: Type.Object({ case: CaseSchema, history: Type.Array(HistoryEntrySchema) }), ...responses } },
      },
      async (request) => {
        const found = await caseFor(request, request.params.id, 'cases:read');
        return { case: found.case, history: found.history.map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() })) };
      },
    );

    for (const action of CASE_ACTIONS) {
      app.post(
        `/api/v1/cases/:id/${action}`,
        {
          config: { access: { permission: action === 'close' ? 'cases:close' : 'cases:write' } },
          // Most steps need no body (POST .../acknowledge); an absent one is an empty object.
          preValidation: async (request) => {
            if (request.body === undefined || request.body === null) (request as { body: unknown }).body = {};
          },
          schema: {
            summary: actionSummary(action),
            tags: ['cases'],
            params: IdParams,
            body: ActionBody,
            response: { 200: Type.Object({ case: CaseSchema }), ...responses },
          },
        },
        async (request) => {
          const permission: Permission = action === 'close' ? 'cases:close' : 'cases:write';
          await caseFor(request, request.params.id, permission);
          const body = request.body;
          const updated = await context.cases.transition(request.params.id, {
            action,
            actor: principalOf(request),
            ...(body.reason === undefined ? {} : { reason: body.reason }),
            ...(body.owner === undefined ? {} : { owner: body.owner }),
            ...(body.resolution === undefined ? {} : { resolution: body.resolution }),
          });
          return { case: updated };
        },
      );
    }

    app.post(
      '/api/v1/cases/:id/comments',
      {
        config: { access: { permission: 'cases:write' } },
        schema: {
          summary: 'Comment on a case.',
          tags: ['cases'],
          params: IdParams,
          body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false }),
          response: { 201: Type.Object({ case: CaseSchema }), ...responses },
        },
      },
      async (request, reply) => {
        await caseFor(request, request.params.id, 'cases:write');
        const updated = await context.cases.comment(request.params.id, { actor: principalOf(request), text: request.body.text });
        return reply.status(201).send({ case: updated });
      },
    );

    app.post(
      '/api/v1/cases/:id/attachments',
      {
        config: { access: { permission: 'cases:write' } },
        schema: {
          summary: 'Attach a document by reference: a name and a URL or another system\'s document id.',
          tags: ['cases'],
          params: IdParams,
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 300 }),
              url: Type.Optional(Type.String({ format: 'uri', maxLength: 2000 })),
              documentId: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ case: CaseSchema }), ...responses },
        },
      },
      async (request, reply) => {
        await caseFor(request, request.params.id, 'cases:write');
        const { name, url, documentId } = request.body;
        const updated = await context.cases.attach(request.params.id, {
          actor: principalOf(request),
          name,
          ...(url === undefined ? {} : { url }),
          ...(documentId === undefined ? {} : { documentId }),
        });
        return reply.status(201).send({ case: updated });
      },
    );
  };
}

function actionSummary(action: CaseAction): string {
  switch (action) {
    case 'assign':
      return 'Assign (or reassign) a case: { owner }. Its owner, a supervisor of its area or an admin.';
    case 'acknowledge':
      return 'The owner acknowledges an assigned case.';
    case 'start':
      return 'The owner starts work (acknowledging if not yet done).';
    case 'resolve':
      return 'Resolve a case: { resolution? }. It stays resolved, pending verification, until closed.';
    case 'close':
      return 'Confirm and close a resolved case; 409 PF_ERR_CASE_NOT_VERIFIED while its condition is active or before the verification window has passed (details.completesAt).';
    case 'reopen':
      return 'Reopen a resolved or closed case: { reason? }.';
  }
}
