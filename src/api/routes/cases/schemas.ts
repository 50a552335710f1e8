/**
 * Response schemas of the case routes (the shape is `CaseDoc` in src/core/cases.ts; docs/cases.md explains it).
 * Nested records the UI reads as a whole (context, SLA, escalations) are passed through as they are stored.
 */
import { Type } from '@sinclair/typebox';
import { CASE_STATUSES } from '../../../core/cases.js';
import { SEVERITIES } from '../../../core/context.js';

const Iso = Type.String({ format: 'date-time' });
const Ref = Type.Object({ id: Type.String(), at: Iso, type: Type.String() });

export const CaseSchema = Type.Object(
  {
    id: Type.String(),
    rule: Type.String(),
    kind: Type.String(),
    title: Type.String(),
    severity: Type.Union(SEVERITIES.map((severity) => Type.Literal(severity))),
    safety: Type.Boolean(),
    status: Type.Union(CASE_STATUSES.map((status) => Type.Literal(status))),
    site: Type.Optional(Type.String()),
    area: Type.Optional(Type.String()),
    equipment: Type.Optional(Type.String()),
    workOrder: Type.Optional(Type.String()),
    owner: Type.Optional(Type.String()),
    watchers: Type.Array(Type.String()),
    correlationKey: Type.String(),
    revision: Type.Integer(),
    cycle: Type.Integer(),
    reopenCount: Type.Integer(),
    openedAt: Iso,
    updatedAt: Iso,
    assignedAt: Type.Optional(Iso),
    acknowledgedAt: Type.Optional(Iso),
    startedAt: Type.Optional(Iso),
    resolvedAt: Type.Optional(Iso),
    closedAt: Type.Optional(Iso),
    first: Type.Object({ assignedAt: Type.Optional(Iso), acknowledgedAt: Type.Optional(Iso), resolvedAt: Type.Optional(Iso) }),
    resolution: Type.Optional(Type.String()),
    events: Type.Object({ first: Ref, last: Ref, count: Type.Integer(), recent: Type.Array(Type.String()), lastPosition: Type.Integer() }),
    condition: Type.Optional(Type.Object({ active: Type.Boolean(), since: Iso })),
    verification: Type.Optional(Type.Object({ windowMs: Type.Number(), completesAt: Type.Optional(Iso) })),
    context: Type.Optional(Type.Unknown({ description: 'The SignalContext at opening: equipment, running order and lot, affected orders, people, urgency.' })),
    contextError: Type.Optional(Type.String()),
    urgency: Type.Object({ score: Type.Number(), level: Type.String(), explanation: Type.String() }),
    sla: Type.Unknown({ description: 'Deadlines of the current cycle (assignBy, acknowledgeBy, resolveBy) and the breaches.' }),
    escalations: Type.Array(Type.Unknown()),
    comments: Type.Array(Type.Object({ id: Type.String(), at: Iso, author: Type.String(), text: Type.String() })),
    attachments: Type.Array(
      Type.Object({ id: Type.String(), at: Iso, author: Type.String(), name: Type.String(), url: Type.Optional(Type.String()), documentId: Type.Optional(Type.String()) }),
    ),
    handovers: Type.Array(Type.Object({ at: Iso, from: Type.String(), to: Type.String(), shift: Type.String() })),
  },
);

export const HistoryEntrySchema = Type.Object({
  caseId: Type.String(),
  at: Iso,
  actor: Type.String(),
  action: Type.String(),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

const Percentiles = Type.Object({
  count: Type.Integer(),
  p50: Type.Union([Type.Number(), Type.Null()]),
  p90: Type.Union([Type.Number(), Type.Null()]),
  mean: Type.Union([Type.Number(), Type.Null()]),
});

export const CaseMetricsSchema = Type.Object({
  from: Iso,
  to: Iso,
  opened: Type.Integer(),
  timeToFirstAssignment: Percentiles,
  timeToAcknowledge: Percentiles,
  timeToResolve: Percentiles,
  slaBreachRate: Type.Union([Type.Number(), Type.Null()]),
  reopenRate: Type.Union([Type.Number(), Type.Null()]),
  byArea: Type.Record(Type.String(), Type.Integer()),
  byKind: Type.Record(Type.String(), Type.Integer()),
  byStatus: Type.Record(Type.String(), Type.Integer()),
});
