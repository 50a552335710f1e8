/**
 * Declarative JSON → canonical event mapping, shared by every connector whose sources send JSON documents rather than
 * tag values (webhooks, REST polls, MQTT JSON topics such as RTLS positions): which items of a payload become events,
 * of which type, with which subject, time and data. The mapping is pure: every reason an item is refused (no mapping
 * matched, a required field missing, a time that cannot be read, an event the catalogue would refuse) comes back as a
 * message for the dead letter, never as a throw.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { EventInput, EventSource } from './event.js';
import { EVENT_TYPES } from './event-types.js';
import { extractField } from './mapping.js';
import { validateEvent } from './pipeline/validate.js';

const DottedPath = Type.String({ minLength: 1, description: 'A dotted path into the JSON item, e.g. order.header.no or lines.0.qty.' });

export const VALUE_CONVERSIONS = ['string', 'number', 'integer', 'boolean', 'timestamp'] as const;

/** Where one value of the event comes from: a field of the item (by path) or a constant. */
export const ValueSourceSchema = Type.Union(
  [
    DottedPath,
    Type.Object(
      {
        path: DottedPath,
        as: Type.Optional(Type.Union(VALUE_CONVERSIONS.map((kind) => Type.Literal(kind)), {
          description: 'Convert the value: "50" → 50 for number, epoch ms or ISO text → ISO 8601 UTC for timestamp.',
        })),
        optional: Type.Optional(Type.Boolean({ description: 'Leave the key out when the field is missing, instead of rejecting the item.' })),
        default: Type.Optional(Type.Unknown({ description: 'Used when the field is missing.' })),
      },
      { additionalProperties: false },
    ),
    Type.Object({ value: Type.Unknown({ description: 'A constant.' }) }, { additionalProperties: false }),
  ],
  { description: 'A dotted path (the field must be present), { path, as, optional, default }, or { value: <constant> }.' },
);
export type ValueSource = Static<typeof ValueSourceSchema>;

/** Subject ids from the item, as the sending system names them (the pipeline resolves them through the crosswalk). */
export const SubjectMapSchema = Type.Object(
  {
    equipment: Type.Optional(ValueSourceSchema),
    workOrder: Type.Optional(ValueSourceSchema),
    operation: Type.Optional(ValueSourceSchema),
    material: Type.Optional(ValueSourceSchema),
    lot: Type.Optional(ValueSourceSchema),
    serial: Type.Optional(ValueSourceSchema),
    person: Type.Optional(ValueSourceSchema),
    location: Type.Optional(ValueSourceSchema),
  },
  { additionalProperties: false },
);
export type SubjectMap = Static<typeof SubjectMapSchema>;

const CATALOGUE_TYPES = Object.keys(EVENT_TYPES);

export const EventMappingSchema = Type.Object(
  {
    when: Type.Optional(
      Type.Object(
        {
          field: DottedPath,
          equals: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
        },
        { additionalProperties: false, description: 'This mapping applies only to items whose field has this value.' },
      ),
    ),
    eventType: Type.Union(
      [
        ...CATALOGUE_TYPES.map((type) => Type.Literal(type)),
        Type.String({ pattern: '^custom(\\.[a-z][a-z0-9-]*)+$', maxLength: 128, description: 'A plant-specific type under the custom. prefix.' }),
      ],
      { description: 'A catalogue type (docs/events.md), or custom.<...>.' },
    ),
    subject: Type.Optional(SubjectMapSchema),
    occurredAt: Type.Optional(Type.String({ minLength: 1, description: 'Dotted path to the time it happened (ISO 8601 with a zone, or epoch ms). Default: receive time.' })),
    data: Type.Optional(Type.Record(Type.String({ minLength: 1 }), ValueSourceSchema, { description: 'Event data key → where its value comes from.' })),
    quality: Type.Optional(Type.Union([Type.Literal('good'), Type.Literal('uncertain'), Type.Literal('bad')])),
  },
  { additionalProperties: false },
);
export type EventMapping = Static<typeof EventMappingSchema>;

export const EventMappingsSchema = Type.Array(EventMappingSchema, { minItems: 1, description: 'Tried in order; the first whose `when` matches maps the item.' });
export const ItemsPathSchema = Type.Optional(Type.String({ minLength: 1, description: 'Dotted path to the array of items in the body. Default: the body is one item or an array of items.' }));

export type ItemResult = { ok: true; event: EventInput } | { ok: false; code: 'PF_ERR_INGEST_SCHEMA'; message: string };

export type ItemsResult = { ok: true; items: unknown[] } | { ok: false; code: 'PF_ERR_INGEST_SCHEMA'; message: string };

export interface MapContext {
  source: EventSource;
  /** Receive time, epoch ms: the event time when the mapping names no `occurredAt` field. */
  receivedAt: number;
}

export interface ItemRejection {
  index: number;
  item: unknown;
  message: string;
}

export interface PayloadResult {
  events: EventInput[];
  rejects: ItemRejection[];
}

/** ISO 8601 date-time with a zone (Z or ±hh:mm), or a bare date (taken as UTC midnight). */
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const EPOCH_MS_TEXT = /^\d{10,}$/;

/** Reads a point in time: epoch ms (number or digits) or ISO 8601 with a zone. Local times without a zone are refused: their meaning depends on a clock we cannot see. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (EPOCH_MS_TEXT.test(text)) return Number(text);
  if (!ZONED_TIME.test(text) && !DATE_ONLY.test(text)) return undefined;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** The items a body carries: under `itemsPath` when given, else the body itself (one object, or an array of them). */
export function itemsOf(body: unknown, itemsPath: string | undefined): ItemsResult {
  const found = itemsPath === undefined ? body : extractField(body, itemsPath);
  if (Array.isArray(found)) return { ok: true, items: found };
  if (found !== null && typeof found === 'object') return { ok: true, items: [found] };
  const where = itemsPath === undefined ? 'the body' : `'${itemsPath}'`;
  return { ok: false, code: 'PF_ERR_INGEST_SCHEMA', message: `${where} is ${describe(found)}, not a JSON object or an array of objects` };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}

function sameValue(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  // Systems disagree on whether codes are numbers or text ("10" vs 10); a selector should not care.
  const scalar = (value: unknown): boolean => typeof value === 'string' || typeof value === 'number';
  return scalar(actual) && scalar(expected) && String(actual) === String(expected);
}

/** The first mapping whose `when` selector matches the item (a mapping without `when` matches every item). */
export function selectMapping(mappings: readonly EventMapping[], item: unknown): EventMapping | undefined {
  return mappings.find((mapping) => mapping.when === undefined || sameValue(extractField(item, mapping.when.field), mapping.when.equals));
}

type Resolved = { ok: true; value: unknown } | { ok: false; message: string };

function convert(value: unknown, as: string | undefined): Resolved {
  switch (as) {
    case undefined:
      return { ok: true, value };
    case 'string':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { ok: true, value: String(value) };
      break;
    case 'number':
    case 'integer': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (Number.isFinite(number) && (as === 'number' || Number.isInteger(number))) return { ok: true, value: number };
      break;
    }
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (value === 1 || value === 'true' || value === '1') return { ok: true, value: true };
      if (value === 0 || value === 'false' || value === '0') return { ok: true, value: false };
      break;
    case 'timestamp': {
      const ms = parseTimestamp(value);
      if (ms !== undefined) return { ok: true, value: new Date(ms).toISOString() };
      return { ok: false, message: `unparsable timestamp ${JSON.stringify(value)} (expected ISO 8601 with a zone, or epoch ms)` };
    }
  }
  return { ok: false, message: `value ${JSON.stringify(value)} is not a ${as}` };
}

/** Resolves one value source; `undefined` as value means "leave the key out" (an optional field that is missing). */
function resolve(item: unknown, source: ValueSource, target: string): Resolved {
  if (typeof source !== 'string' && 'value' in source) return { ok: true, value: source.value };
  const path = typeof source === 'string' ? source : source.path;
  const raw = extractField(item, path);
  if (raw === undefined || raw === null) {
    if (typeof source !== 'string' && source.default !== undefined) return { ok: true, value: source.default };
    if (typeof source !== 'string' && source.optional === true) return { ok: true, value: undefined };
    return { ok: false, message: `missing required field '${path}' (for ${target})` };
  }
  const converted = convert(raw, typeof source === 'string' ? undefined : source.as);
  return converted.ok ? converted : { ok: false, message: `field '${path}' (for ${target}): ${converted.message}` };
}

function buildSubject(item: unknown, map: SubjectMap | undefined): { ok: true; subject: Record<string, string> } | { ok: false; message: string } {
  const subject: Record<string, string> = {};
  for (const [key, source] of Object.entries(map ?? {})) {
    if (source === undefined) continue;
    const resolved = resolve(item, source, `subject.${key}`);
    if (!resolved.ok) return resolved;
    if (resolved.value === undefined) continue;
    // Order numbers and asset numbers often arrive as JSON numbers; ids are text everywhere after this point.
    if (typeof resolved.value !== 'string' && typeof resolved.value !== 'number') {
      return { ok: false, message: `subject.${key} must be text or a number, got ${JSON.stringify(resolved.value)}` };
    }
    const id = String(resolved.value);
    if (id === '') return { ok: false, message: `subject.${key} is empty` };
    subject[key] = id;
  }
  return { ok: true, subject };
}

function reject(message: string): ItemResult {
  return { ok: false, code: 'PF_ERR_INGEST_SCHEMA', message };
}

/** Maps one item to one canonical event input with `mapping`. */
export function mapWith(mapping: EventMapping, item: unknown, context: MapContext): ItemResult {
  const subject = buildSubject(item, mapping.subject);
  if (!subject.ok) return reject(subject.message);

  let occurredMs = context.receivedAt;
  if (mapping.occurredAt !== undefined) {
    const raw = extractField(item, mapping.occurredAt);
    if (raw === undefined || raw === null) return reject(`missing required field '${mapping.occurredAt}' (for occurredAt)`);
    const parsed = parseTimestamp(raw);
    if (parsed === undefined) return reject(`unparsable timestamp ${JSON.stringify(raw)} at '${mapping.occurredAt}' (expected ISO 8601 with a zone, or epoch ms)`);
    occurredMs = parsed;
  }

  const data: Record<string, unknown> = {};
  for (const [key, source] of Object.entries(mapping.data ?? {})) {
    const resolved = resolve(item, source, `data.${key}`);
    if (!resolved.ok) return reject(resolved.message);
    if (resolved.value !== undefined) data[key] = resolved.value;
  }

  const event: EventInput = {
    type: mapping.eventType,
    occurredAt: new Date(occurredMs).toISOString(),
    source: context.source,
    subject: subject.subject,
    data,
    ...(mapping.quality === undefined ? {} : { quality: mapping.quality }),
  };
  // The pipeline would refuse it later with the event as evidence; refusing here keeps the item as it was sent.
  const checked = validateEvent(event, new Date(context.receivedAt).toISOString());
  if (!checked.ok) return reject(`mapped ${mapping.eventType} is not valid: ${checked.rejection.message}`);
  return { ok: true, event };
}

/** Maps one item with the first mapping that matches it. */
export function mapItem(mappings: readonly EventMapping[], item: unknown, context: MapContext): ItemResult {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return reject(`item is ${Array.isArray(item) ? 'an array' : describe(item)}, not a JSON object`);
  const mapping = selectMapping(mappings, item);
  if (mapping === undefined) {
    const selectors = mappings.map((candidate) => `${candidate.when?.field} = ${JSON.stringify(candidate.when?.equals)}`);
    const seen = [...new Set(mappings.map((candidate) => candidate.when?.field ?? ''))].map((field) => `${field} is ${JSON.stringify(extractField(item, field)) ?? 'missing'}`);
    return reject(`no mapping matched (expected ${selectors.join(' or ')}; ${seen.join(', ')})`);
  }
  return mapWith(mapping, item, context);
}

/** Maps every item of a decoded body: events for those that map, reasons for those that do not, in item order. */
export function mapItems(items: readonly unknown[], mappings: readonly EventMapping[], context: MapContext): PayloadResult {
  const events: EventInput[] = [];
  const rejects: ItemRejection[] = [];
  items.forEach((item, index) => {
    const result = mapItem(mappings, item, context);
    if (result.ok) events.push(result.event);
    else rejects.push({ index, item, message: result.message });
  });
  return { events, rejects };
}
