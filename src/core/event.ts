/**
 * The canonical event: the one shape every source's signal becomes (ARCHITECTURE.md §1).
 * Types are derived from the TypeBox schemas so the validator and the compiler never disagree.
 */
import { Type, type Static } from '@sinclair/typebox';

export const QualitySchema = Type.Union([Type.Literal('good'), Type.Literal('uncertain'), Type.Literal('bad')], {
  description: 'How far the value can be trusted; bad and uncertain readings travel as data, not as errors.',
});
export type Quality = Static<typeof QualitySchema>;

const IdString = Type.String({ minLength: 1, maxLength: 200 });

export const EventSourceSchema = Type.Object(
  {
    system: Type.String({ minLength: 1, maxLength: 64, description: 'The system that produced it: plc, mes, erp, cmms, plantfabric, ...' }),
    connector: Type.Optional(Type.String({ maxLength: 128, description: 'The connector instance that read it.' })),
    address: Type.Optional(Type.String({ maxLength: 512, description: 'Where in the source: node id, topic, register, URL.' })),
  },
  { additionalProperties: false },
);
export type EventSource = Static<typeof EventSourceSchema>;

export const EventSubjectSchema = Type.Object(
  {
    equipment: Type.Optional(IdString),
    workOrder: Type.Optional(IdString),
    operation: Type.Optional(IdString),
    material: Type.Optional(IdString),
    lot: Type.Optional(IdString),
    serial: Type.Optional(IdString),
    person: Type.Optional(IdString),
    location: Type.Optional(IdString),
    case: Type.Optional(IdString),
  },
  { additionalProperties: false, description: 'What the event is about, as canonical ids after crosswalk resolution.' },
);
export type EventSubject = Static<typeof EventSubjectSchema>;

/** Dotted, lower-case, past tense: `equipment.state.changed`. */
export const EVENT_TYPE_PATTERN = '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$';
const EventTypeString = Type.String({ pattern: EVENT_TYPE_PATTERN, maxLength: 128 });
const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601 / RFC 3339 with a zone.' });
const EventId = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' });

export const CanonicalEventSchema = Type.Object(
  {
    id: EventId,
    type: EventTypeString,
    occurredAt: Timestamp,
    receivedAt: Timestamp,
    source: EventSourceSchema,
    subject: EventSubjectSchema,
    data: Type.Record(Type.String(), Type.Unknown()),
    quality: QualitySchema,
  },
  { additionalProperties: false },
);
export type CanonicalEvent = Static<typeof CanonicalEventSchema>;

/** An event as stored: the canonical event plus its gap-free position in the log. */
export type StoredEvent = CanonicalEvent & { position: number };

/**
 * What a producer sends. `id` is optional: when absent the pipeline derives it from the content, so sending the
 * same event twice is still a no-op. `receivedAt` is always set by Plantfabric.
 */
export const EventInputSchema = Type.Object(
  {
    id: Type.Optional(EventId),
    type: EventTypeString,
    occurredAt: Timestamp,
    source: EventSourceSchema,
    subject: Type.Optional(EventSubjectSchema),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    quality: Type.Optional(QualitySchema),
  },
  { additionalProperties: false },
);
export type EventInput = Static<typeof EventInputSchema>;

/**
 * A high-rate numeric tag value for the historian. Compact on purpose: no id and no envelope, because a plant
 * produces millions of these an hour and they are identified by (equipment, signal, ts).
 */
export const SampleSchema = Type.Object(
  {
    equipment: IdString,
    signal: Type.String({ minLength: 1, maxLength: 128 }),
    ts: Type.Integer({ minimum: 0, description: 'Epoch milliseconds.' }),
    value: Type.Number(),
    quality: Type.Optional(QualitySchema),
  },
  { additionalProperties: false },
);
export type Sample = Static<typeof SampleSchema>;
