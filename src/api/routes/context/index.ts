/**
 * Context: what a signal on a piece of equipment touches at an instant (running order, lot, downstream and queued
 * orders with slack, people on shift) and how urgent it is. Area-scoped like the equipment it is about.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertAllowed } from '../../../core/access.js';
import { SEVERITIES } from '../../../core/context.js';
import { principalOf } from '../../access-hook.js';
import type { ApiContext } from '../../context.js';
import { errorResponses } from '../../schemas.js';
import { scopeOfEquipment } from '../../scope.js';

const Severity = Type.Union(SEVERITIES.map((severity) => Type.Literal(severity)));
const Iso = Type.String({ format: 'date-time' });

const ContextQuery = Type.Object({
  equipment: Type.String({ minLength: 1, description: 'Equipment path, an equipment id unique in the plant, or an id a system uses for it.' }),
  at: Type.Optional(Type.String({ format: 'date-time', description: 'The instant the context describes; default now (plant time).' })),
  severity: Type.Optional(Severity),
  safety: Type.Optional(Type.Boolean({ description: 'The signal is safety-related.' })),
});

const AffectedOrder = Type.Object({
  workOrder: Type.String(),
  relation: Type.Union([Type.Literal('running'), Type.Literal('downstream'), Type.Literal('queued')]),
  operation: Type.Optional(Type.String()),
  equipment: Type.Optional(Type.String()),
  material: Type.Optional(Type.String()),
  quantity: Type.Optional(Type.Number()),
  dueAt: Type.Optional(Iso),
  slackMinutes: Type.Optional(Type.Number({ description: 'Due date − at − remaining planned minutes; negative is late.' })),
});

const SignalContextSchema = Type.Object({
  at: Iso,
  equipment: Type.Optional(
    Type.Object({
      path: Type.String(),
      name: Type.String(),
      class: Type.Optional(Type.String()),
      area: Type.Optional(Type.String()),
      levels: Type.Object({
        enterprise: Type.Optional(Type.String()),
        site: Type.Optional(Type.String()),
        area: Type.Optional(Type.String()),
        line: Type.Optional(Type.String()),
        cell: Type.Optional(Type.String()),
      }),
    }),
  ),
  running: Type.Optional(
    Type.Object({
      workOrder: Type.String(),
      operation: Type.Optional(Type.String()),
      lot: Type.Optional(Type.String()),
      material: Type.Optional(Type.String()),
      since: Iso,
      dueAt: Type.Optional(Iso),
      quantity: Type.Optional(Type.Number()),
    }),
  ),
  lots: Type.Array(Type.String()),
  orders: Type.Array(AffectedOrder),
  people: Type.Object({
    shift: Type.Optional(Type.Object({ id: Type.String(), start: Iso, end: Iso })),
    onShift: Type.Array(Type.Object({ userId: Type.String(), role: Type.String() })),
  }),
  urgency: Type.Object({
    score: Type.Number({ minimum: 0, maximum: 100 }),
    level: Severity,
    factors: Type.Array(
      Type.Object({
        factor: Type.Union(['severity', 'safety', 'slack', 'affected-orders', 'running-order'].map((factor) => Type.Literal(factor))),
        points: Type.Number(),
        note: Type.String(),
      }),
    ),
    explanation: Type.String(),
  }),
});

export function contextRoutes(context: ApiContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/v1/context',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          summary: 'What a signal on this equipment at this instant touches, and how urgent it is.',
          tags: ['context'],
          querystring: ContextQuery,
          response: { 200: SignalContextSchema, ...errorResponses },
        },
      },
      async (request) => {
        const query = request.query;
        // Resolved first: an unknown equipment is 404 for everyone; a known one outside the caller's areas is 403.
        const resolved = await context.context.resolve({
          equipment: query.equipment,
          ...(query.at === undefined ? {} : { at: Date.parse(query.at) }),
          ...(query.severity === undefined ? {} : { severity: query.severity }),
          ...(query.safety === undefined ? {} : { safety: query.safety }),
        });
        assertAllowed(principalOf(request), 'plant:read', scopeOfEquipment(context.plant, [resolved.equipment?.path]));
        return resolved;
      },
    );
  };
}
