/**
 * Dead letters: look at rejected input (raw bytes as base64 plus a readable preview) and replay it after a fix.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../../core/errors.js';
import type { DeadLetter } from '../../../core/store.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';

const STAGES = ['decode', 'validate', 'dedupe', 'resolve', 'persist', 'publish', 'engine', 'connector'] as const;
const Stage = Type.Union(STAGES.map((stage) => Type.Literal(stage)));
const Status = Type.Union([Type.Literal('open'), Type.Literal('replayed'), Type.Literal('discarded')]);
const PREVIEW_BYTES = 2000;

const DeadLetterView = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  stage: Type.String(),
  code: Type.String(),
  message: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  source: Type.Record(Type.String(), Type.String()),
  contentType: Type.String(),
  engineId: Type.Optional(Type.String()),
  eventId: Type.Optional(Type.String()),
  details: Type.Optional(Type.Unknown()),
  rawBase64: Type.String(),
  rawPreview: Type.String({ description: 'The first 2000 bytes as UTF-8 text.' }),
  lastAttemptAt: Type.Optional(Type.String({ format: 'date-time' })),
  resolvedAt: Type.Optional(Type.String({ format: 'date-time' })),
});

const ReplayResult = Type.Object({
  id: Type.String(),
  ok: Type.Boolean(),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  accepted: Type.Optional(Type.Integer()),
  duplicates: Type.Optional(Type.Integer()),
});

function view(entry: DeadLetter) {
  const raw = Buffer.from(entry.raw);
  return {
    id: entry.id,
    createdAt: new Date(entry.createdAt).toISOString(),
    stage: entry.stage,
    code: entry.code,
    message: entry.message,
    status: entry.status,
    attempts: entry.attempts,
    source: Object.fromEntries(Object.entries(entry.source).filter((pair): pair is [string, string] => typeof pair[1] === 'string')),
    contentType: entry.contentType,
    ...(entry.engineId === undefined ? {} : { engineId: entry.engineId }),
    ...(entry.eventId === undefined ? {} : { eventId: entry.eventId }),
    ...(entry.details === undefined ? {} : { details: entry.details }),
    rawBase64: raw.toString('base64'),
    rawPreview: raw.subarray(0, PREVIEW_BYTES).toString('utf8'),
    ...(entry.lastAttemptAt === undefined ? {} : { lastAttemptAt: new Date(entry.lastAttemptAt).toISOString() }),
    ...(entry.resolvedAt === undefined ? {} : { resolvedAt: new Date(entry.resolvedAt).toISOString() }),
  };
}

export function deadLetterRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/v1/deadletters',
      {
        config: { access: { permission: 'deadletters:read' } },
        schema: {
          summary: 'Dead letters, oldest first; page with `after` = the last id.',
          tags: ['dead letters'],
          querystring: Type.Object({
            status: Type.Optional(Status),
            stage: Type.Optional(Stage),
            after: Type.Optional(Type.String()),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          }),
          response: { 200: Type.Object({ deadLetters: Type.Array(DeadLetterView), total: Type.Integer() }), ...errorResponses },
        },
      },
      async (request) => {
        const { status, stage, after, limit } = request.query;
        const entries = await context.stores.deadLetters.list({
          ...(status === undefined ? {} : { status }),
          ...(stage === undefined ? {} : { stage }),
          ...(after === undefined ? {} : { afterId: after }),
          limit: limit ?? 100,
        });
        return { deadLetters: entries.map(view), total: await context.stores.deadLetters.count(status) };
      },
    );

    app.get(
      '/api/v1/deadletters/:id',
      {
        config: { access: { permission: 'deadletters:read' } },
        schema: { summary: 'One dead letter.', tags: ['dead letters'], params: Type.Object({ id: Type.String() }), response: { 200: DeadLetterView, ...errorResponses } },
      },
      async (request) => {
        const entry = await context.stores.deadLetters.get(request.params.id);
        if (entry === undefined) throw new NotFoundError('PF_ERR_DEADLETTER_NOT_FOUND', `no dead letter with id ${request.params.id}`);
        return view(entry);
      },
    );

    app.post(
      '/api/v1/deadletters/:id/replay',
      {
        config: { access: { permission: 'deadletters:replay' } },
        schema: { summary: 'Re-run one dead letter through ingest.', tags: ['dead letters'], params: Type.Object({ id: Type.String() }), response: { 200: ReplayResult, ...errorResponses } },
      },
      async (request) => context.deadLetters.replay(request.params.id),
    );

    app.post(
      '/api/v1/deadletters/replay',
      {
        config: { access: { permission: 'deadletters:replay' } },
        schema: {
          summary: 'Re-run every open dead letter (optionally of one stage), oldest first.',
          tags: ['dead letters'],
          body: Type.Object({ stage: Type.Optional(Stage) }),
          response: { 200: Type.Object({ replayed: Type.Integer(), failed: Type.Integer(), results: Type.Array(ReplayResult) }), ...errorResponses },
        },
      },
      async (request) => {
        const results = await context.deadLetters.replayOpen(request.body.stage === undefined ? {} : { stage: request.body.stage });
        const replayed = results.filter((result) => result.ok).length;
        return { replayed, failed: results.length - replayed, results };
      },
    );
  };
}
