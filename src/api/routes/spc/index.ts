/**
 * SPC (docs/spc.md): one characteristic's control chart on one machine over a time range — the points (individuals or
 * subgroup statistics), the limits in force and their history, the violation episodes and Cp/Cpk/Pp/Ppk with
 * confidence intervals — computed from the log with the engine's own chart code.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertAllowed } from '../../../core/access.js';
import { InputError, NotFoundError } from '../../../core/errors.js';
import { principalOf } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';
import { scopeOfEquipment } from '../../scope.js';

const DAY_MS = 86_400_000;

const Estimate = Type.Union([Type.Object({ value: Type.Number(), lower: Type.Number(), upper: Type.Number() }), Type.Null()]);
const Capability = Type.Union([
  Type.Object({
    count: Type.Integer(),
    mean: Type.Number(),
    sigmaWithin: Type.Number(),
    sigmaOverall: Type.Number(),
    confidence: Type.Number(),
    cp: Estimate,
    cpk: Estimate,
    pp: Estimate,
    ppk: Estimate,
  }),
  Type.Null(),
]);
const ChartLimits = Type.Object({ chart: Type.String(), center: Type.Number(), ucl: Type.Number(), lcl: Type.Number(), sigma: Type.Optional(Type.Number()) });
const Limits = Type.Object({
  revision: Type.Integer(),
  source: Type.Union([Type.Literal('samples'), Type.Literal('window'), Type.Literal('given')]),
  at: Type.String(),
  effectiveFromIndex: Type.Integer(),
  location: ChartLimits,
  dispersion: ChartLimits,
  sigmaWithin: Type.Number(),
  baseline: Type.Optional(Type.Object({ points: Type.Integer(), measurements: Type.Integer(), from: Type.String(), to: Type.String(), mean: Type.Number(), sdOverall: Type.Number() })),
  capability: Capability,
});
const PointRef = Type.Object({
  index: Type.Integer(),
  value: Type.Number(),
  at: Type.String(),
  from: Type.Optional(Type.String()),
  workOrder: Type.Optional(Type.String()),
  serial: Type.Optional(Type.String()),
});

export function spcRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/v1/spc',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          summary: 'The SPC chart of a characteristic on a machine: points, limits, violation episodes and capability, computed from the log.',
          tags: ['spc'],
          querystring: Type.Object({
            equipment: Type.String({ minLength: 1, description: 'The machine path.' }),
            characteristic: Type.String({ minLength: 1, description: 'The characteristic id in plant.yaml, or its measured name (e.g. bore-diameter).' }),
            from: Type.Optional(Type.String({ format: 'date-time', description: 'Default: 24 h before `to`.' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now (plant time).' })),
          }),
          response: {
            200: Type.Object({
              equipment: Type.String(),
              id: Type.String(),
              characteristic: Type.String(),
              name: Type.Optional(Type.String()),
              chartType: Type.Union([Type.Literal('i-mr'), Type.Literal('xbar-r'), Type.Literal('xbar-s')]),
              subgroupSize: Type.Integer(),
              unit: Type.Optional(Type.String()),
              lsl: Type.Optional(Type.Number()),
              usl: Type.Optional(Type.Number()),
              target: Type.Optional(Type.Number()),
              rules: Type.Array(Type.Integer()),
              from: Type.String(),
              to: Type.String(),
              limits: Type.Union([Limits, Type.Null()]),
              limitsHistory: Type.Array(Limits),
              problem: Type.Optional(Type.String()),
              points: Type.Array(Type.Object({
                index: Type.Integer(),
                at: Type.String(),
                from: Type.Optional(Type.String()),
                value: Type.Number(),
                dispersion: Type.Optional(Type.Number()),
                size: Type.Integer(),
                phase: Type.Union([Type.Literal('waiting'), Type.Literal('baseline'), Type.Literal('monitored')]),
                limitsRevision: Type.Optional(Type.Integer()),
                workOrder: Type.Optional(Type.String()),
                serial: Type.Optional(Type.String()),
              })),
              violations: Type.Array(Type.Object({
                rule: Type.Object({ number: Type.Integer(), id: Type.String(), name: Type.String() }),
                side: Type.Optional(Type.String()),
                chart: Type.String(),
                at: Type.String(),
                points: Type.Array(PointRef),
                throughIndex: Type.Integer(),
                open: Type.Boolean(),
                limitsRevision: Type.Integer(),
              })),
              capability: Capability,
              truncated: Type.Boolean(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { equipment, characteristic } = request.query;
        assertAllowed(principalOf(request), 'plant:read', scopeOfEquipment(context.plant, [equipment]));
        if (!context.plant.has(equipment)) throw new NotFoundError('PF_ERR_NOT_FOUND', `'${equipment}' is not a path of this plant`);
        const to = request.query.to === undefined ? context.now() : Date.parse(request.query.to);
        const from = request.query.from === undefined ? to - DAY_MS : Date.parse(request.query.from);
        if (from >= to) throw new InputError('PF_ERR_REQUEST_INVALID', '`from` must be before `to`');
        if (to - from > 92 * DAY_MS) throw new InputError('PF_ERR_REQUEST_INVALID', 'ask for at most 92 days at a time');
        return context.spc.query({ equipment, characteristic, from, to });
      },
    );
  };
}
