/**
 * Stage 4, resolve: every id in the subject becomes the canonical id through the crosswalk, as it stood when the
 * event occurred. What cannot be resolved follows the plant's unknown-id policy: reject (dead letter), flag
 * (accept with quality uncertain and the unresolved ids listed in data), or pass (accept as sent).
 */
import type { Crosswalk } from '../crosswalk.js';
import type { CanonicalEvent, EventSubject } from '../event.js';
import type { EntityKind, UnknownIdPolicy } from '../plant-config.js';
import type { PlantModel } from '../plant-model.js';
import { pass, reject, type StageResult } from './stage.js';

export type UnknownIdPolicies = Record<EntityKind, UnknownIdPolicy>;

/** Equipment must be known by default (a typo must not create a phantom machine); the rest pass until modelled. */
export const DEFAULT_UNKNOWN_ID_POLICIES: UnknownIdPolicies = {
  equipment: 'reject',
  material: 'pass',
  workOrder: 'pass',
  lot: 'pass',
  person: 'pass',
  location: 'pass',
};

const RESOLVED_FIELDS: ReadonlyArray<[keyof EventSubject, EntityKind]> = [
  ['equipment', 'equipment'],
  ['material', 'material'],
  ['workOrder', 'workOrder'],
  ['lot', 'lot'],
  ['person', 'person'],
  ['location', 'location'],
];

export interface ResolveContext {
  plant: PlantModel;
  crosswalk: Crosswalk;
  policies: UnknownIdPolicies;
  /** Canonical material ids from plant.yaml. */
  materials: ReadonlySet<string>;
}

function isCanonical(context: ResolveContext, kind: EntityKind, id: string): boolean {
  if (kind === 'equipment') return context.plant.has(id);
  if (kind === 'material') return context.materials.has(id);
  return false;
}

export function resolveEvent(event: CanonicalEvent, context: ResolveContext): StageResult<CanonicalEvent> {
  const at = Date.parse(event.occurredAt);
  let subject: EventSubject | undefined;
  const unresolved: Array<{ kind: EntityKind; id: string }> = [];
  for (const [field, kind] of RESOLVED_FIELDS) {
    const id = event.subject[field];
    if (id === undefined || isCanonical(context, kind, id)) continue;
    const canonical = context.crosswalk.resolve(kind, event.source.system, id, at);
    if (canonical !== undefined) {
      subject ??= { ...event.subject };
      subject[field] = canonical;
      continue;
    }
    const policy = context.policies[kind];
    if (policy === 'reject') {
      return reject({
        stage: 'resolve',
        code: 'PF_ERR_INGEST_UNKNOWN_ID',
        message: `unknown ${kind} id '${id}' from system '${event.source.system}' at ${event.occurredAt}`,
        details: { kind, id, system: event.source.system, at: event.occurredAt, path: `/subject/${field}` },
      });
    }
    if (policy === 'flag') unresolved.push({ kind, id });
  }
  if (subject === undefined && unresolved.length === 0) return pass(event);
  const resolved: CanonicalEvent = { ...event, subject: subject ?? event.subject };
  if (unresolved.length > 0) {
    resolved.quality = event.quality === 'bad' ? 'bad' : 'uncertain';
    resolved.data = { ...event.data, unresolvedIds: unresolved };
  }
  return pass(resolved);
}

/** Resolves a sample's equipment the same way; samples have no flag field, so only reject or pass apply. */
export function resolveEquipment(id: string, system: string, at: number, context: ResolveContext): StageResult<string> {
  if (context.plant.has(id)) return pass(id);
  const canonical = context.crosswalk.resolve('equipment', system, id, at);
  if (canonical !== undefined) return pass(canonical);
  if (context.policies.equipment === 'reject') {
    return reject({
      stage: 'resolve',
      code: 'PF_ERR_INGEST_UNKNOWN_ID',
      message: `unknown equipment id '${id}' from system '${system}'`,
      details: { kind: 'equipment', id, system },
    });
  }
  return pass(id);
}
