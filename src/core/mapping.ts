/**
 * Declarative mapping from a raw reading to canonical data (ARCHITECTURE.md §2): one binding per source address,
 * written in plant.yaml, applied by a pure function every connector shares. The only state is the explicit
 * `MappingMemory` (last value per binding) that deadbands, state changes and counter increments need.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { EventInput, Quality, Sample } from './event.js';

export const BINDING_KINDS = ['sample', 'state', 'count', 'alarm', 'measurement', 'event', 'work-order'] as const;
export const BindingKindSchema = Type.Union(
  BINDING_KINDS.map((kind) => Type.Literal(kind)),
  {
    description:
      'sample: historian value; state: equipment.state.changed; count: production.count.recorded from a running total; ' +
      'alarm: true raises, false clears; measurement: quality.measurement.recorded; event: the given eventType; ' +
      'work-order: the order id running on the machine (empty: none) becomes work-order.operation.started / .completed',
  },
);
export type BindingKind = Static<typeof BindingKindSchema>;

export const BindingSchema = Type.Object(
  {
    address: Type.String({ minLength: 1, description: 'Where in the source: node id, topic, register, data item id, column.' }),
    equipment: Type.String({ minLength: 1, description: 'Equipment path id, or an id the crosswalk knows for the source system.' }),
    signal: Type.String({ minLength: 1, maxLength: 128, description: 'Signal name under the equipment, e.g. spindle-speed.' }),
    as: BindingKindSchema,
    eventType: Type.Optional(Type.String({ description: 'For as: event — the canonical or custom. type to emit.' })),
    valueKey: Type.Optional(
      Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$', description: 'For as: event — the data key the value goes under (default value), e.g. reason for downtime.reason.recorded.' }),
    ),
    field: Type.Optional(Type.String({ description: 'For JSON payloads: a dotted path to the value, e.g. payload.temp.' })),
    scale: Type.Optional(Type.Number({ description: 'value × scale + offset, applied to numbers.' })),
    offset: Type.Optional(Type.Number()),
    enum: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Raw value (as text) → mapped value, e.g. "2": faulted.' })),
    unit: Type.Optional(Type.String()),
    deadband: Type.Optional(Type.Number({ minimum: 0, description: 'Ignore numeric changes smaller than this (absolute).' })),
    countKind: Type.Optional(Type.Union([Type.Literal('good'), Type.Literal('scrap')], { description: 'For as: count. Default good.' })),
  },
  { additionalProperties: false },
);
export type Binding = Static<typeof BindingSchema>;

/** A value as a connector read it, before mapping. */
export interface RawReading {
  address: string;
  value: unknown;
  /** Source timestamp, epoch ms. */
  ts: number;
  quality: Quality;
  /** The source's own status text (OPC UA status code name, Modbus exception), kept when quality is not good. */
  status?: string;
}

export type MappingResult =
  | { kind: 'sample'; sample: Sample }
  | { kind: 'event'; event: EventInput }
  | { kind: 'skip'; reason: string }
  | { kind: 'reject'; code: 'PF_ERR_INGEST_SCHEMA'; message: string };

/** Last values per binding; owned by one connector, so mapping stays a pure function of its inputs. */
export type MappingMemory = Map<string, unknown>;

export interface MappingSource {
  system: string;
  connector: string;
}

/** Reads a dotted path (`a.b.0.c`) out of a decoded JSON payload. */
export function extractField(value: unknown, path: string | undefined): unknown {
  if (path === undefined || path === '') return value;
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (['true', '1', 'on', 'active', 'yes'].includes(text)) return true;
    if (['false', '0', 'off', 'inactive', 'no', 'normal'].includes(text)) return false;
  }
  return undefined;
}

function scaled(binding: Binding, value: number): number {
  return value * (binding.scale ?? 1) + (binding.offset ?? 0);
}

function reject(binding: Binding, reason: string): MappingResult {
  return { kind: 'reject', code: 'PF_ERR_INGEST_SCHEMA', message: `${binding.address} → ${binding.equipment}/${binding.signal}: ${reason}` };
}

/** Applies one binding to one reading. */
export function mapReading(binding: Binding, reading: RawReading, memory: MappingMemory, source: MappingSource): MappingResult {
  const key = `${binding.address}\u0000${binding.signal}`;
  let raw = extractField(reading.value, binding.field);
  const rawKey = `${key}\u0000raw`;
  if (raw === undefined || raw === null) {
    if (reading.quality === 'good') return reject(binding, binding.field === undefined ? 'no value' : `field '${binding.field}' not found in payload`);
    // A bad reading (device exception, bad status) often carries no value. It still matters as data: the last value
    // known is repeated with the bad quality, so the historian and the log show the signal went stale, and when.
    raw = memory.get(rawKey);
    if (raw === undefined) return { kind: 'skip', reason: `no value (quality ${reading.quality}) and none known before` };
  } else {
    memory.set(rawKey, raw);
  }
  const occurredAt = new Date(reading.ts).toISOString();
  const base = {
    occurredAt,
    source: { system: source.system, connector: source.connector, address: reading.address },
    subject: { equipment: binding.equipment },
    quality: reading.quality,
  };
  const statusData = reading.status === undefined ? {} : { status: reading.status };

  switch (binding.as) {
    case 'sample':
    case 'measurement': {
      const number = toNumber(raw);
      if (number === undefined) return reject(binding, `value ${JSON.stringify(raw)} is not a number`);
      const value = scaled(binding, number);
      const last = memory.get(key);
      if (binding.deadband !== undefined && typeof last === 'number' && Math.abs(value - last) < binding.deadband && reading.quality === 'good') {
        return { kind: 'skip', reason: 'inside deadband' };
      }
      memory.set(key, value);
      if (binding.as === 'sample') {
        return { kind: 'sample', sample: { equipment: binding.equipment, signal: binding.signal, ts: reading.ts, value, quality: reading.quality } };
      }
      return {
        kind: 'event',
        event: { ...base, type: 'quality.measurement.recorded', data: { characteristic: binding.signal, value, ...(binding.unit ? { unit: binding.unit } : {}), ...statusData } },
      };
    }
    case 'state': {
      const text = typeof raw === 'string' ? raw : String(toNumber(raw) ?? JSON.stringify(raw));
      const state = binding.enum === undefined ? text : binding.enum[text];
      if (state === undefined) return reject(binding, `value ${text} is not in the enum map (${Object.keys(binding.enum ?? {}).join(', ')})`);
      const previous = memory.get(key);
      // A change of quality is news too: a state gone stale (source dead) must reach the log as such.
      const qualityKey = `${key}\u0000quality`;
      if (previous === state && memory.get(qualityKey) === reading.quality) return { kind: 'skip', reason: 'state unchanged' };
      memory.set(key, state);
      memory.set(qualityKey, reading.quality);
      return {
        kind: 'event',
        event: { ...base, type: 'equipment.state.changed', data: { state, ...(typeof previous === 'string' && previous !== state ? { previousState: previous } : {}), ...statusData } },
      };
    }
    case 'count': {
      const total = toNumber(raw);
      if (total === undefined || total < 0 || !Number.isInteger(total)) return reject(binding, `counter value ${JSON.stringify(raw)} is not a whole number`);
      const previous = memory.get(key);
      memory.set(key, total);
      if (typeof previous !== 'number') return { kind: 'skip', reason: 'first counter reading sets the baseline' };
      // A total lower than before means the PLC counter was reset (or wrapped): everything since the reset counts.
      const increment = total >= previous ? total - previous : total;
      if (increment === 0) return { kind: 'skip', reason: 'counter unchanged' };
      return {
        kind: 'event',
        event: { ...base, type: 'production.count.recorded', data: { [binding.countKind ?? 'good']: increment, total, ...statusData } },
      };
    }
    case 'alarm': {
      const mapped = binding.enum === undefined ? raw : binding.enum[String(raw)];
      const active = toBoolean(mapped);
      if (active === undefined) return reject(binding, `value ${JSON.stringify(raw)} is not a boolean alarm state`);
      const previous = memory.get(key);
      if (previous === active) return { kind: 'skip', reason: 'alarm state unchanged' };
      memory.set(key, active);
      if (!active && previous === undefined) return { kind: 'skip', reason: 'alarm inactive at first reading' };
      return { kind: 'event', event: { ...base, type: active ? 'alarm.raised' : 'alarm.cleared', data: { alarm: binding.signal, ...statusData } } };
    }
    case 'work-order': {
      // An order-number tag on the machine's HMI: empty (or 0) means nothing is running.
      const text = typeof raw === 'string' ? raw.trim() : String(toNumber(raw) ?? '').trim();
      const current = text === '0' ? '' : text;
      const previous = memory.get(key);
      if (previous === current || (previous === undefined && current === '')) return { kind: 'skip', reason: 'work order unchanged' };
      memory.set(key, current);
      if (current === '') {
        return { kind: 'event', event: { ...base, type: 'work-order.operation.completed', subject: { equipment: binding.equipment, workOrder: String(previous) }, data: { ...statusData } } };
      }
      return {
        kind: 'event',
        event: {
          ...base,
          type: 'work-order.operation.started',
          subject: { equipment: binding.equipment, workOrder: current },
          data: { ...(typeof previous === 'string' && previous !== '' ? { previousWorkOrder: previous } : {}), ...statusData },
        },
      };
    }
    case 'event': {
      if (binding.eventType === undefined) return reject(binding, 'as: event needs eventType');
      const number = toNumber(raw);
      const value = number === undefined ? (binding.enum?.[String(raw)] ?? raw) : binding.enum?.[String(number)] ?? scaled(binding, number);
      if (value === '' && binding.valueKey !== undefined) return { kind: 'skip', reason: `empty ${binding.valueKey}` };
      return { kind: 'event', event: { ...base, type: binding.eventType, data: { signal: binding.signal, [binding.valueKey ?? 'value']: value, ...statusData } } };
    }
  }
}
