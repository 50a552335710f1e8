/**
 * OEE (ISO 22400-2) of a machine, line or area over a time range, per shift and in total, from the log; and the
 * operator's stop reason, captured as a `downtime.reason.recorded` event so it counts like any other fact.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertAllowed } from '../../../core/access.js';
import { ConflictError, InputError } from '../../../core/errors.js';
import { principalOf } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';
import { scopeOfEquipment } from '../../scope.js';

const Ratio = Type.Union([Type.Number(), Type.Null()]);
const OeeFigures = Type.Object({
  plannedBusySeconds: Type.Number(),
  plannedDowntimeSeconds: Type.Number(),
  actualProductionSeconds: Type.Number(),
  downSeconds: Type.Number(),
  setupSeconds: Type.Number(),
  delaySeconds: Type.Number(),
  downtimeByReason: Type.Record(Type.String(), Type.Number()),
  microStops: Type.Object({ count: Type.Number(), seconds: Type.Number() }),
  producedQuantity: Type.Number(),
  goodQuantity: Type.Number(),
  scrapQuantity: Type.Number(),
  outsidePlannedQuantity: Type.Number(),
  idealProductionSeconds: Type.Number(),
  availability: Ratio,
  performance: Ratio,
  quality: Ratio,
  oee: Ratio,
  failures: Type.Number(),
  mtbfSeconds: Ratio,
  mttrSeconds: Ratio,
});

const DAY_MS = 86_400_000;

export function oeeRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/v1/oee',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          summary: 'OEE of a machine, line or area (ISO 22400-2), per shift and in total, computed from the log.',
          tags: ['oee'],
          querystring: Type.Object({
            scope: Type.String({ description: 'Equipment, line or area path.' }),
            from: Type.Optional(Type.String({ format: 'date-time', description: 'Default: 24 h before `to`.' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now (plant time).' })),
          }),
          response: {
            200: Type.Object({
              scope: Type.String(),
              level: Type.String(),
              from: Type.String(),
              to: Type.String(),
              units: Type.Array(Type.String()),
              total: OeeFigures,
              shifts: Type.Array(Type.Composite([Type.Object({ shift: Type.String(), from: Type.String(), to: Type.String() }), OeeFigures])),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { scope } = request.query;
        assertAllowed(principalOf(request), 'plant:read', scopeOfEquipment(context.plant, [scope]));
        const to = request.query.to === undefined ? context.now() : Date.parse(request.query.to);
        const from = request.query.from === undefined ? to - DAY_MS : Date.parse(request.query.from);
        if (from >= to) throw new InputError('PF_ERR_REQUEST_INVALID', '`from` must be before `to`');
        if (to - from > 92 * DAY_MS) throw new InputError('PF_ERR_REQUEST_INVALID', 'ask for at most 92 days at a time');
        return context.oee.query({ scope, from, to });
      },
    );

    app.post(
      '/api/v1/oee/downtime-reasons',
      {
        config: { access: { permission: 'events:write' } },
        schema: {
          summary: 'Give the reason of a stop (operator capture): recorded as downtime.reason.recorded, and OEE files the stop under it.',
          tags: ['oee'],
          body: Type.Object({
            equipment: Type.String({ minLength: 1 }),
            reason: Type.String({ minLength: 1, maxLength: 200 }),
            stopStartedAt: Type.Optional(Type.String({ format: 'date-time', description: 'Which stop: the one in progress at this time. Default: the current one.' })),
            comment: Type.Optional(Type.String({ maxLength: 2000 })),
          }),
          response: { 201: Type.Object({ id: Type.String(), position: Type.Integer() }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const body = request.body;
        const outcome = await context.ingestor.ingestValue({
          type: 'downtime.reason.recorded',
          occurredAt: new Date(context.now()).toISOString(),
          source: { system: 'plantfabric', connector: 'api' },
          subject: { equipment: body.equipment, person: principal.userId },
          data: { reason: body.reason, ...(body.stopStartedAt === undefined ? {} : { stopStartedAt: body.stopStartedAt }), ...(body.comment === undefined ? {} : { comment: body.comment }) },
        }, {
          source: { system: 'plantfabric', connector: 'api' },
          // Checked after the crosswalk resolved the equipment id, so an ERP or MES name is judged by its real area.
          authorize: (events) => assertAllowed(principal, 'events:write', scopeOfEquipment(context.plant, events.map((event) => event.subject.equipment))),
        });
        const rejection = outcome.rejected[0];
        if (rejection !== undefined) throw new InputError(rejection.code, rejection.message, { details: rejection.details });
        const stored = outcome.accepted[0];
        if (stored === undefined) throw new ConflictError('the same reason was already recorded for this stop');
        return reply.status(201).send({ id: stored.id, position: stored.position });
      },
    );
  };
}
