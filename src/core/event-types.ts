/**
 * The catalogue of canonical event types: one module, so every producer and consumer agrees on names and payloads.
 * Each entry's `data` schema states the fields consumers rely on; extra fields are allowed and kept. Types outside
 * the catalogue are accepted only under the `custom.` prefix, so a typo never silently becomes a new type.
 */
import { Type, type Static, type TObject } from '@sinclair/typebox';

const open = <T extends TObject>(schema: T): T => ({ ...schema, additionalProperties: true });
const Str = Type.String({ minLength: 1 });
const Num = Type.Number();

export const PACKML_STATES = [
  'idle', 'starting', 'execute', 'completing', 'complete', 'held', 'holding', 'unholding', 'suspended', 'suspending',
  'unsuspending', 'stopping', 'stopped', 'aborting', 'aborted', 'clearing', 'resetting', 'faulted', 'offline',
] as const;
const State = Type.Union(PACKML_STATES.map((state) => Type.Literal(state)));

/**
 * One step of a released order's routing (docs/events.md#work-order-routing). `equipment` is a canonical path or an
 * id the crosswalk knows for the release's source system; ids inside `data` are not resolved by the pipeline, the
 * context engine resolves them as of the release's `occurredAt`.
 */
export const WorkOrderRoutingStepSchema = open(
  Type.Object({
    operation: Type.Union([Str, Type.Integer({ minimum: 0 })], { description: 'The operation number or id, e.g. "10".' }),
    equipment: Type.Optional(Str),
    minutes: Type.Optional(Type.Number({ minimum: 0, description: 'Planned duration of the whole operation.' })),
  }),
);

/** The data of `work-order.released`: quantity, due date and the routing in execution order. */
export const WorkOrderReleasedDataSchema = open(
  Type.Object({
    quantity: Num,
    dueAt: Type.Optional(Str),
    operations: Type.Optional(Type.Array(WorkOrderRoutingStepSchema)),
  }),
);
export type WorkOrderRoutingStep = Static<typeof WorkOrderRoutingStepSchema>;
export type WorkOrderReleasedData = Static<typeof WorkOrderReleasedDataSchema>;

const NumOrNull = Type.Union([Num, Type.Null()]);
const StrOrNull = Type.Union([Str, Type.Null()]);
/** The remaining-useful-life fields both maintenance events carry (docs/maintenance.md); optional for older events. */
const RUL_FIELDS = {
  signal: Type.Optional(Str),
  value: Type.Optional(Num),
  threshold: Type.Optional(Num),
  rulHours: Type.Optional(NumOrNull),
  rulLowerHours: Type.Optional(NumOrNull),
  rulUpperHours: Type.Optional(NumOrNull),
  predictedFailureAt: Type.Optional(StrOrNull),
  confidence: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
  model: Type.Optional(Str),
  fit: Type.Optional(open(Type.Object({ points: Type.Integer({ minimum: 0 }), r2: Num, residualSd: Num }))),
};

export interface EventTypeInfo {
  description: string;
  /** Which subject field must be present. */
  requires?: Array<'equipment' | 'workOrder' | 'lot' | 'material' | 'case'>;
  data: TObject;
}

export const EVENT_TYPES = {
  'equipment.state.changed': {
    description: 'A machine changed its PackML-like state.',
    requires: ['equipment'],
    data: open(Type.Object({ state: State, previousState: Type.Optional(State), reason: Type.Optional(Str) })),
  },
  'production.count.recorded': {
    description: 'Parts made since the previous count (increments, not totals).',
    requires: ['equipment'],
    data: open(Type.Object({ good: Type.Optional(Type.Integer({ minimum: 0 })), scrap: Type.Optional(Type.Integer({ minimum: 0 })) })),
  },
  'production.cycle.completed': {
    description: 'One machine cycle finished.',
    requires: ['equipment'],
    data: open(Type.Object({ cycleTimeSeconds: Type.Optional(Num) })),
  },
  'downtime.reason.recorded': {
    description: 'An operator gave the reason for a stop.',
    requires: ['equipment'],
    data: open(Type.Object({ reason: Str, stopStartedAt: Type.Optional(Str) })),
  },
  'signal.value.changed': {
    description: 'A discrete tag changed value (not a high-rate sample).',
    requires: ['equipment'],
    data: open(Type.Object({ signal: Str, value: Type.Unknown() })),
  },
  'alarm.raised': {
    description: 'An alarm became active.',
    requires: ['equipment'],
    data: open(Type.Object({ alarm: Str, severity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })), message: Type.Optional(Str) })),
  },
  'alarm.cleared': {
    description: 'An alarm returned to normal.',
    requires: ['equipment'],
    data: open(Type.Object({ alarm: Str })),
  },
  'quality.measurement.recorded': {
    description: 'A measured value of a quality characteristic.',
    data: open(Type.Object({ characteristic: Str, value: Num, unit: Type.Optional(Str) })),
  },
  'quality.nonconformance.recorded': {
    description: 'A nonconformance was found.',
    data: open(Type.Object({ defect: Str, quantity: Type.Optional(Num) })),
  },
  'quality.hold.placed': { description: 'Material or a lot was put on hold.', data: open(Type.Object({ reason: Str })) },
  'quality.hold.released': { description: 'A hold was released.', data: open(Type.Object({})) },
  'work-order.released': {
    description: 'ERP released a work order, with its routing.',
    requires: ['workOrder'],
    data: WorkOrderReleasedDataSchema,
  },
  'work-order.status.changed': {
    description: 'A work order changed status.',
    requires: ['workOrder'],
    data: open(Type.Object({ status: Str })),
  },
  'work-order.operation.started': { description: 'An operation started on equipment.', requires: ['workOrder'], data: open(Type.Object({})) },
  'work-order.operation.completed': { description: 'An operation finished.', requires: ['workOrder'], data: open(Type.Object({})) },
  'material.moved': { description: 'Material moved between locations.', data: open(Type.Object({ quantity: Type.Optional(Num) })) },
  'material.consumed': { description: 'Material was consumed into production.', data: open(Type.Object({ quantity: Num })) },
  'lot.created': { description: 'A lot was created.', requires: ['lot'], data: open(Type.Object({})) },
  'maintenance.order.created': { description: 'A maintenance order exists in the CMMS.', data: open(Type.Object({})) },
  'location.position.reported': {
    description: 'A tagged item reported its position.',
    data: open(Type.Object({ tag: Str, x: Num, y: Num, z: Type.Optional(Num) })),
  },
  'location.zone.entered': {
    description: 'A tagged item entered a zone (subject.location = the zone, subject.equipment = its equipment).',
    data: open(Type.Object({ tag: Str, zone: Str, kind: Type.Optional(Str), x: Type.Optional(Num), y: Type.Optional(Num), restricted: Type.Optional(Type.Boolean()) })),
  },
  'location.zone.exited': {
    description: 'A tagged item left a zone, with how long it stayed.',
    data: open(Type.Object({ tag: Str, zone: Str, kind: Type.Optional(Str), enteredAt: Type.Optional(Str), dwellSeconds: Type.Optional(Type.Number({ minimum: 0 })) })),
  },
  'location.restricted.entered': {
    description: 'A tag of a kind the zone is restricted for (a forklift on a walkway) entered it: a safety event.',
    data: open(Type.Object({ tag: Str, kind: Str, zone: Str, severity: Str, safety: Type.Boolean(), x: Num, y: Num })),
  },
  'location.tag.misplaced': {
    description: 'A tool stayed outside its home and allowed zones longer than the limit; once per episode.',
    data: open(Type.Object({ tag: Str, kind: Str, zone: Type.Union([Str, Type.Null()]), zones: Type.Array(Str), x: Num, y: Num, outsideSince: Str, home: Type.Optional(Str) })),
  },
  'location.tag.returned': {
    description: 'A misplaced tool is back in its home or an allowed zone.',
    data: open(Type.Object({ tag: Str, kind: Str, zone: Str, outsideSince: Str, misplacedAt: Str, awaySeconds: Type.Number({ minimum: 0 }), misplacedSeconds: Type.Number({ minimum: 0 }) })),
  },
  'vision.defect.detected': { description: 'A camera found a defect.', data: open(Type.Object({ defect: Str, confidence: Type.Optional(Num) })) },
  'vision.label.unreadable': { description: 'A camera could not read a label or mark.', data: open(Type.Object({})) },
  'anomaly.detected': {
    description: 'A detector found unusual behaviour in a signal: the sample, its score against the threshold, and the explanation (docs/anomaly.md).',
    data: open(Type.Object({
      signal: Str,
      score: Num,
      value: Type.Optional(Num),
      threshold: Type.Optional(Num),
      kind: Type.Optional(Type.Union(['spike', 'level-shift', 'variance-change', 'pattern-change', 'none'].map((kind) => Type.Literal(kind)))),
      expected: Type.Optional(Num),
      expectedLow: Type.Optional(Num),
      expectedHigh: Type.Optional(Num),
      summary: Type.Optional(Str),
    })),
  },
  'spc.rule.violated': {
    description: 'An SPC rule fired on a characteristic: the start of a violation episode, with the points involved (docs/spc.md).',
    data: open(Type.Object({
      characteristic: Str,
      rule: Str,
      ruleNumber: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
      chart: Type.Optional(Type.Union(['i', 'mr', 'xbar', 'r', 's'].map((chart) => Type.Literal(chart)))),
      points: Type.Optional(Type.Array(open(Type.Object({ index: Type.Integer({ minimum: 1 }), value: Num, at: Str })))),
      limits: Type.Optional(open(Type.Object({ center: Num, ucl: Num, lcl: Num }))),
    })),
  },
  'spc.limits.established': {
    description: 'Control limits of a characteristic on a machine took effect: a baseline completed, or given limits (docs/spc.md).',
    requires: ['equipment'],
    data: open(Type.Object({
      characteristic: Str,
      chartType: Type.Union(['i-mr', 'xbar-r', 'xbar-s'].map((chart) => Type.Literal(chart))),
      revision: Type.Integer({ minimum: 1 }),
      location: open(Type.Object({ center: Num, ucl: Num, lcl: Num })),
      dispersion: open(Type.Object({ center: Num, ucl: Num, lcl: Num })),
    })),
  },
  'oee.interval.computed': {
    description: 'OEE (ISO 22400-2) of a machine, line or area for a shift: final when the shift ended, revised by late data, provisional while it runs.',
    requires: ['equipment'],
    data: open(Type.Object({
      scope: Str,
      level: Str,
      shift: Str,
      from: Str,
      to: Str,
      final: Type.Boolean(),
      revision: Type.Integer({ minimum: 0 }),
      oee: Type.Union([Num, Type.Null()]),
      availability: Type.Union([Num, Type.Null()]),
      performance: Type.Union([Num, Type.Null()]),
      quality: Type.Union([Num, Type.Null()]),
    })),
  },
  'maintenance.prediction.updated': {
    description: 'A remaining-useful-life estimate of a degradation signal, with its interval and the fit behind it (docs/maintenance.md).',
    data: open(Type.Object(RUL_FIELDS)),
  },
  'maintenance.failure.predicted': {
    description: 'The earliest plausible failure of a degradation signal came inside the planning horizon; once per episode, with a proposed maintenance order.',
    data: open(Type.Object({
      ...RUL_FIELDS,
      proposedMaintenanceOrder: Type.Optional(open(Type.Object({
        equipment: Str,
        description: Str,
        priority: Type.Union(['low', 'medium', 'high', 'emergency'].map((priority) => Type.Literal(priority))),
        dueBy: Str,
        type: Type.Literal('predictive'),
      }))),
    })),
  },
  'case.opened': { description: 'A routing rule opened a case.', requires: ['case'], data: open(Type.Object({ rule: Str, kind: Str, severity: Str })) },
  'case.assigned': { description: 'A case got an owner (by routing, by hand, or at a reopen).', requires: ['case'], data: open(Type.Object({ owner: Str })) },
  'case.acknowledged': { description: 'The owner acknowledged a case.', requires: ['case'], data: open(Type.Object({ actor: Str })) },
  'case.started': { description: 'Work on a case started.', requires: ['case'], data: open(Type.Object({ actor: Str })) },
  'case.resolved': { description: 'A case was resolved; it closes once verified.', requires: ['case'], data: open(Type.Object({ actor: Str })) },
  'case.closed': { description: 'A case was closed after verification and confirmation.', requires: ['case'], data: open(Type.Object({ actor: Str })) },
  'case.reopened': { description: 'A case was reopened, by hand or because its condition recurred.', requires: ['case'], data: open(Type.Object({ actor: Str })) },
  'case.commented': { description: 'Someone commented on a case.', requires: ['case'], data: open(Type.Object({ author: Str })) },
  'case.escalated': { description: 'An escalation tier of a case fired.', requires: ['case'], data: open(Type.Object({ tier: Type.Integer({ minimum: 0 }), notified: Type.Array(Str) })) },
  'case.sla.breached': { description: 'A case missed an SLA target (assign, acknowledge, resolve).', requires: ['case'], data: open(Type.Object({ target: Str, deadline: Str })) },
  'case.handed-over': { description: 'A shift change moved a case to the incoming shift.', requires: ['case'], data: open(Type.Object({ from: Str, to: Str, shift: Str })) },
  'connector.health.changed': { description: 'A connector changed health state.', data: open(Type.Object({ state: Str })) },
} satisfies Record<string, EventTypeInfo>;

export type CatalogueEventType = keyof typeof EVENT_TYPES;

/** Prefix under which plant-specific types may be sent without a catalogue entry. */
export const CUSTOM_EVENT_PREFIX = 'custom.';

export function eventTypeInfo(type: string): EventTypeInfo | undefined {
  return (EVENT_TYPES as Record<string, EventTypeInfo>)[type];
}

export function isKnownEventType(type: string): boolean {
  return eventTypeInfo(type) !== undefined || type.startsWith(CUSTOM_EVENT_PREFIX);
}
