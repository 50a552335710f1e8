/**
 * The audit ledger for an auditor: filtered reads as JSON, streamed exports as JSON lines (re-verifiable) or CSV,
 * and a verification of the whole hash chain. The ledger spans every area, so reading it needs a plant-wide grant.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import { assertAllowed } from '../../../core/access.js';
import type { AuditEntry } from '../../../core/audit.js';
import type { AuditQuery } from '../../../core/operations-store.js';
import { principalOf } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';

/** Entries per store read while streaming an export. */
const EXPORT_PAGE = 5_000;
const DEFAULT_LIMIT = 100;

const AuditEntryView = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  subject: Type.Optional(Type.Object({ kind: Type.String(), id: Type.String() })),
  reason: Type.Optional(Type.String()),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  prevHash: Type.String(),
  hash: Type.String(),
});

const AuditQuerySchema = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after (ISO 8601).' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Entries before (ISO 8601).' })),
  actor: Type.Optional(Type.String({ minLength: 1, description: 'A user id, system, engine:<id>, connector:<id>.' })),
  action: Type.Optional(Type.String({ minLength: 1, description: 'The action or everything under it: case matches case.assigned.' })),
  subjectKind: Type.Optional(Type.String({ minLength: 1, description: 'case, user, notification, config, crosswalk, ...' })),
  subjectId: Type.Optional(Type.String({ minLength: 1 })),
  afterSeq: Type.Optional(Type.Integer({ minimum: 0, description: 'Only entries after this sequence number (paging).' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'JSON: page size, default 100. Exports: at most this many; default all.' })),
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('jsonl'), Type.Literal('csv')], { description: 'json (default, one page), jsonl or csv (streamed download).' }),
  ),
});
type AuditQueryParams = Static<typeof AuditQuerySchema>;

const VerificationView = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer({ description: 'Entries examined.' }),
  head: Type.Optional(Type.Object({ seq: Type.Integer(), hash: Type.String() })),
  brokenAt: Type.Optional(Type.Integer({ description: 'The first entry that does not verify.' })),
  reason: Type.Optional(Type.String()),
});

function filterOf(query: AuditQueryParams): AuditQuery {
  return {
    ...(query.from === undefined ? {} : { from: Date.parse(query.from) }),
    ...(query.to === undefined ? {} : { to: Date.parse(query.to) }),
    ...(query.actor === undefined ? {} : { actor: query.actor }),
    ...(query.action === undefined ? {} : { action: query.action }),
    ...(query.subjectKind === undefined ? {} : { subjectKind: query.subjectKind }),
    ...(query.subjectId === undefined ? {} : { subjectId: query.subjectId }),
  };
}

export function auditRoutes(context: ApiContext): FastifyPluginAsync {
  /** Every matching entry from `afterSeq` on, read a page at a time so an export never sits in memory whole. */
  async function* matching(filter: AuditQuery, afterSeq: number, limit: number | undefined): AsyncGenerator<AuditEntry> {
    let after = afterSeq;
    let left = limit ?? Number.POSITIVE_INFINITY;
    while (left > 0) {
      const page = await context.stores.audit.query({ ...filter, afterSeq: after, limit: Math.min(EXPORT_PAGE, left) });
      for (const entry of page) yield entry;
      left -= page.length;
      if (page.length < EXPORT_PAGE) return;
      after = page[page.length - 1]!.seq;
    }
  }

  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    // Registered without the type provider: a download answers with a stream, which its typed reply would refuse.
    plugin.get<{ Querystring: AuditQueryParams }>(
      '/api/v1/audit',
      {
        config: { access: { permission: 'audit:read' } },
        schema: {
          summary: 'Audit ledger entries in order, filtered; ?format=jsonl or csv streams an export.',
          tags: ['audit'],
          querystring: AuditQuerySchema,
          response: {
            200: Type.Object({ entries: Type.Array(AuditEntryView), next: Type.Union([Type.Integer(), Type.Null()], { description: 'afterSeq for the next page; null at the end.' }) }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        assertAllowed(principalOf(request), 'audit:read', { kind: 'plant' });
        const query = request.query;
        const filter = filterOf(query);
        const format = query.format ?? 'json';
        if (format === 'json') {
          const limit = query.limit ?? DEFAULT_LIMIT;
          const entries = await context.stores.audit.query({ ...filter, afterSeq: query.afterSeq ?? 0, limit });
          return { entries, next: entries.length === limit ? entries[entries.length - 1]!.seq : null };
        }
        const { csvHeader, toCsv, toJsonLine } = context.audit;
        const entries = matching(filter, query.afterSeq ?? 0, query.limit);
        const lines = async function* (): AsyncGenerator<string> {
          if (format === 'csv') yield csvHeader();
          for await (const entry of entries) yield format === 'csv' ? toCsv(entry) : toJsonLine(entry);
        };
        const stamp = new Date(context.now()).toISOString().replace(/[:.]/g, '-');
        return reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
          .header('content-disposition', `attachment; filename="audit-${stamp}.${format}"`)
          .send(Readable.from(lines()));
      },
    );

    app.get(
      '/api/v1/audit/verify',
      {
        config: { access: { permission: 'audit:verify' } },
        schema: {
          summary: 'Walk the whole hash chain; names the first altered, removed or inserted entry.',
          tags: ['audit'],
          response: { 200: VerificationView, ...errorResponses },
        },
      },
      async () => context.audit.verify(),
    );
  };
}
