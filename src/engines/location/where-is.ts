/**
 * Pure: the where-is projection. Folds position reports and the location engine's own events (zone entries and
 * exits, misplaced, returned) into each tag's last position, current zones and misplacement, and reads it back as the
 * API shows it. Zones come from the engine's events rather than being recomputed here, so where-is never disagrees
 * with what was emitted.
 */
import type { StoredEvent } from '../../core/event.js';
import type { TagWhereabouts, WhereIsFilter } from '../../core/locations.js';
import { POSITION_REPORTED, positionReportOf } from './location-engine.js';
import { placeOf, tagOf, type ZonePlan } from './zone-plan.js';

export const WHERE_IS_EVENT_TYPES = [
  POSITION_REPORTED,
  'location.zone.entered',
  'location.zone.exited',
  'location.tag.misplaced',
  'location.tag.returned',
] as const;

export interface TagPlace {
  position?: { x: number; y: number; z?: number; at: number };
  /** Zone id → ISO time it was entered. */
  zones: Record<string, string>;
  misplaced?: { outsideSince: string; flaggedAt: string };
}

export type WhereIsState = Map<string, TagPlace>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Applies one followed event to the projection. */
export function applyWhereIs(state: WhereIsState, event: StoredEvent): void {
  if (event.type === POSITION_REPORTED) {
    if (event.quality === 'bad') return;
    const report = positionReportOf(event);
    if (report === undefined) return;
    const place = placeFor(state, report.tag);
    if (place.position !== undefined && report.at < place.position.at) return;
    place.position = { x: report.x, y: report.y, ...(report.z === undefined ? {} : { z: report.z }), at: report.at };
    return;
  }
  const tag = text(event.data['tag']);
  if (tag === undefined) return;
  const place = placeFor(state, tag);
  const zone = text(event.data['zone']);
  switch (event.type) {
    case 'location.zone.entered':
      if (zone !== undefined) place.zones[zone] = event.occurredAt;
      return;
    case 'location.zone.exited':
      if (zone !== undefined) delete place.zones[zone];
      return;
    case 'location.tag.misplaced':
      place.misplaced = { outsideSince: text(event.data['outsideSince']) ?? event.occurredAt, flaggedAt: event.occurredAt };
      return;
    case 'location.tag.returned':
      delete place.misplaced;
      return;
  }
}

function placeFor(state: WhereIsState, tag: string): TagPlace {
  let place = state.get(tag);
  if (place === undefined) {
    place = { zones: {} };
    state.set(tag, place);
  }
  return place;
}

/** One tag as the API shows it; zones no longer in the config are left out. */
export function whereaboutsOf(plan: ZonePlan, tag: string, place: TagPlace | undefined): TagWhereabouts {
  const config = tagOf(plan, tag);
  const zones = Object.entries(place?.zones ?? {})
    .filter(([zone]) => plan.zoneById.has(zone))
    .map(([zone, since]) => ({ zone, since }));
  const where = placeOf(plan, zones.map((entry) => entry.zone));
  const position = place?.position;
  return {
    tag,
    kind: config.kind,
    ...(config.name === undefined ? {} : { name: config.name }),
    ...(config.home === undefined ? {} : { home: config.home }),
    position: position === undefined ? null : { x: position.x, y: position.y, ...(position.z === undefined ? {} : { z: position.z }) },
    reportedAt: position === undefined ? null : new Date(position.at).toISOString(),
    zone: where.zone?.id ?? null,
    since: where.zone === undefined ? null : (zones.find((entry) => entry.zone === where.zone!.id)?.since ?? null),
    ...(where.equipmentZone?.equipment === undefined ? {} : { equipment: where.equipmentZone.equipment }),
    zones,
    atHome: config.home === undefined ? null : zones.some((entry) => entry.zone === config.home),
    ...(place?.misplaced === undefined ? {} : { misplaced: { ...place.misplaced } }),
  };
}

/** Every configured tag (also those never heard) and every tag that reported, filtered, by tag id. */
export function whereIs(plan: ZonePlan, state: WhereIsState, filter: WhereIsFilter = {}): TagWhereabouts[] {
  const tags = [...new Set([...plan.tags.keys(), ...state.keys()])].sort();
  return tags
    .filter((tag) => filter.tag === undefined || tag === filter.tag)
    .map((tag) => whereaboutsOf(plan, tag, state.get(tag)))
    .filter((entry) => filter.kind === undefined || entry.kind === filter.kind)
    .filter((entry) => filter.zone === undefined || entry.zones.some((stay) => stay.zone === filter.zone));
}
