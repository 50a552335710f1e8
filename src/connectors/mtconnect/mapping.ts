/**
 * Pure MTConnect mapping: which binding an observation belongs to, UNAVAILABLE as bad quality, and conditions
 * (Normal / Warning / Fault / Unavailable) as alarms. Samples and events go through core's mapReading; conditions
 * have their own small mapping because one condition data item can carry several active alarms at once (one per
 * nativeCode), which a true/false alarm binding cannot express.
 */
import type { EventInput, Sample } from '../../core/event.js';
import { mapReading, type Binding, type MappingMemory, type MappingResult, type MappingSource, type RawReading } from '../../core/mapping.js';
import type { MtconnectBinding } from './config.js';
import type { DataItemInfo, Observation } from './documents.js';

/** The value MTConnect gives an item whose value is not known (adapter gone, machine off). */
export const UNAVAILABLE = 'UNAVAILABLE';

/**
 * MTConnect EXECUTION values → PackML-like states, used by `as: state` bindings on EXECUTION items without an `enum`.
 * Operator and program pauses are `held`; waiting on something outside the machine is `suspended`.
 */
export const EXECUTION_STATES: Readonly<Record<string, string>> = {
  READY: 'idle',
  ACTIVE: 'execute',
  INTERRUPTED: 'held',
  FEED_HOLD: 'held',
  OPTIONAL_STOP: 'held',
  PROGRAM_OPTIONAL_STOP: 'held',
  WAIT: 'suspended',
  STOPPED: 'stopped',
  PROGRAM_STOPPED: 'stopped',
  PROGRAM_COMPLETED: 'complete',
};

/** alarm.raised severity (0–1000, OPC UA's scale) per condition level. */
export const CONDITION_SEVERITY = { warning: 500, fault: 900 } as const;
type ActiveLevel = keyof typeof CONDITION_SEVERITY;

/** Active alarms per condition binding: nativeCode ('' when the agent gives none) → level. Owned by one connector. */
export type ConditionMemory = Map<string, Map<string, ActiveLevel>>;

/** Looks a data item up in the probe's device model. */
export type DataItemLookup = (deviceUuid: string, dataItemId: string) => DataItemInfo | undefined;

/** The address events carry as `source.address`: `<device>/<dataItemId>`. */
export function addressOf(observation: Pick<Observation, 'device' | 'dataItemId'>): string {
  return `${observation.device}/${observation.dataItemId}`;
}

export function bindingMatches(binding: MtconnectBinding, observation: Pick<Observation, 'device' | 'deviceUuid' | 'dataItemId'>): boolean {
  if (binding.dataItemId !== observation.dataItemId) return false;
  return binding.device === undefined || binding.device === observation.device || binding.device === observation.deviceUuid;
}

/** An observation as a raw reading: UNAVAILABLE is a bad reading without a value, so core repeats the last value as bad. */
export function toRawReading(observation: Observation): RawReading {
  const address = addressOf(observation);
  if (observation.value === UNAVAILABLE) return { address, value: null, ts: observation.ts, quality: 'bad', status: UNAVAILABLE };
  return { address, value: observation.value ?? '', ts: observation.ts, quality: 'good' };
}

/** The core binding for an MTConnect binding, with the defaults the probe allows (EXECUTION states, units). */
export function coreBinding(binding: MtconnectBinding, address: string, info: DataItemInfo | undefined): Binding {
  const { dataItemId: _id, device: _device, ...rest } = binding;
  const core: Binding = { ...rest, address };
  if (core.as === 'state' && core.enum === undefined && info?.type === 'EXECUTION') core.enum = { ...EXECUTION_STATES };
  if (core.as === 'measurement' && core.unit === undefined && info?.units !== undefined) core.unit = info.units;
  return core;
}

function conditionLevel(element: string): ActiveLevel | 'normal' | 'unavailable' | undefined {
  const level = element.toLowerCase();
  return level === 'warning' || level === 'fault' || level === 'normal' || level === 'unavailable' ? level : undefined;
}

function alarmName(binding: MtconnectBinding, nativeCode: string): string {
  return nativeCode === '' ? binding.signal : `${binding.signal}:${nativeCode}`;
}

function conditionEvent(binding: MtconnectBinding, observation: Observation, source: MappingSource, type: 'alarm.raised' | 'alarm.cleared', data: Record<string, unknown>): MappingResult {
  const event: EventInput = {
    type,
    occurredAt: new Date(observation.ts).toISOString(),
    source: { system: source.system, connector: source.connector, address: addressOf(observation) },
    subject: { equipment: binding.equipment },
    quality: 'good',
    data,
  };
  return { kind: 'event', event };
}

function clearAll(binding: MtconnectBinding, observation: Observation, active: Map<string, ActiveLevel>, source: MappingSource, keep: ReadonlySet<string> = new Set()): MappingResult[] {
  const results: MappingResult[] = [];
  for (const code of [...active.keys()]) {
    if (keep.has(code)) continue;
    active.delete(code);
    results.push(conditionEvent(binding, observation, source, 'alarm.cleared', { alarm: alarmName(binding, code), ...(code === '' ? {} : { nativeCode: code }) }));
  }
  return results;
}

/**
 * Maps one condition observation: Warning or Fault raises (again, when the level changes), Normal clears the alarm
 * with that nativeCode or, without one, every active alarm of the item. Unavailable says nothing about the alarm
 * (the adapter is gone), so active alarms stay active until the item reports again.
 */
export function mapCondition(binding: MtconnectBinding, observation: Observation, memory: ConditionMemory, source: MappingSource): MappingResult[] {
  if (binding.as !== 'alarm') return [reject(binding, observation, `${observation.dataItemId} is a CONDITION; it maps only as: alarm`)];
  const level = conditionLevel(observation.element);
  if (level === undefined) return [reject(binding, observation, `condition element ${observation.element} is not Normal, Warning, Fault or Unavailable`)];
  const key = `${addressOf(observation)}\u0000${binding.signal}`;
  const active = memory.get(key) ?? new Map<string, ActiveLevel>();
  memory.set(key, active);
  const code = observation.nativeCode ?? '';
  switch (level) {
    case 'unavailable':
      return [{ kind: 'skip', reason: 'condition unavailable: active alarms stay as they were' }];
    case 'normal': {
      if (code === '') {
        const cleared = clearAll(binding, observation, active, source);
        return cleared.length > 0 ? cleared : [{ kind: 'skip', reason: 'condition already normal' }];
      }
      if (!active.has(code)) return [{ kind: 'skip', reason: `no active alarm with nativeCode ${code}` }];
      active.delete(code);
      return [conditionEvent(binding, observation, source, 'alarm.cleared', { alarm: alarmName(binding, code), nativeCode: code })];
    }
    case 'warning':
    case 'fault': {
      if (active.get(code) === level) return [{ kind: 'skip', reason: `${level} already active` }];
      active.set(code, level);
      const details = { nativeCode: observation.nativeCode, nativeSeverity: observation.nativeSeverity, qualifier: observation.qualifier, conditionType: observation.conditionType };
      return [
        conditionEvent(binding, observation, source, 'alarm.raised', {
          alarm: alarmName(binding, code),
          severity: CONDITION_SEVERITY[level],
          level,
          ...(observation.value === undefined ? {} : { message: observation.value }),
          ...Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined)),
        }),
      ];
    }
  }
}

/**
 * Maps the condition entries a `current` answer lists for one item. They are the complete set of its active alarms,
 * so an alarm remembered as active but not listed has cleared while we were not looking (after a gap or restart).
 */
export function mapConditionSnapshot(binding: MtconnectBinding, entries: readonly Observation[], memory: ConditionMemory, source: MappingSource): MappingResult[] {
  const latest = entries.reduce<Observation | undefined>((last, entry) => (last === undefined || entry.ts > last.ts ? entry : last), undefined);
  if (latest === undefined) return [];
  const listed = new Set(entries.filter((entry) => ['warning', 'fault'].includes(entry.element.toLowerCase())).map((entry) => entry.nativeCode ?? ''));
  const results: MappingResult[] = [];
  const active = memory.get(`${addressOf(latest)}\u0000${binding.signal}`);
  if (binding.as === 'alarm' && active !== undefined && listed.size > 0) results.push(...clearAll(binding, latest, active, source, listed));
  for (const entry of entries) results.push(...mapCondition(binding, entry, memory, source));
  return results;
}

function reject(binding: MtconnectBinding, observation: Observation, reason: string): MappingResult {
  return { kind: 'reject', code: 'PF_ERR_INGEST_SCHEMA', message: `${addressOf(observation)} → ${binding.equipment}/${binding.signal}: ${reason}` };
}

export interface MappedObservations {
  samples: Sample[];
  events: EventInput[];
  rejected: Array<{ observation: Observation; code: string; message: string }>;
}

/**
 * Maps a streams document's observations (in sequence order) through every binding that matches each.
 * `snapshot` marks a `current` answer, whose condition entries are complete sets.
 */
export function mapObservations(
  observations: readonly Observation[],
  bindings: readonly MtconnectBinding[],
  lookup: DataItemLookup,
  memory: MappingMemory,
  conditions: ConditionMemory,
  source: MappingSource,
  snapshot = false,
): MappedObservations {
  const mapped: MappedObservations = { samples: [], events: [], rejected: [] };
  const collect = (observation: Observation, results: readonly MappingResult[]): void => {
    for (const result of results) {
      if (result.kind === 'sample') mapped.samples.push(result.sample);
      else if (result.kind === 'event') mapped.events.push(result.event);
      else if (result.kind === 'reject') mapped.rejected.push({ observation, code: result.code, message: result.message });
    }
  };
  const snapshotGroups = new Map<string, { binding: MtconnectBinding; entries: Observation[] }>();
  for (const observation of observations) {
    for (const binding of bindings) {
      if (!bindingMatches(binding, observation)) continue;
      if (observation.category === 'CONDITION') {
        if (!snapshot) {
          collect(observation, mapCondition(binding, observation, conditions, source));
          continue;
        }
        const key = `${addressOf(observation)}\u0000${binding.signal}`;
        const group = snapshotGroups.get(key) ?? { binding, entries: [] };
        group.entries.push(observation);
        snapshotGroups.set(key, group);
        continue;
      }
      const address = addressOf(observation);
      collect(observation, [mapReading(coreBinding(binding, address, lookup(observation.deviceUuid, observation.dataItemId)), toRawReading(observation), memory, source)]);
    }
  }
  for (const { binding, entries } of snapshotGroups.values()) collect(entries[0]!, mapConditionSnapshot(binding, entries, conditions, source));
  return mapped;
}
