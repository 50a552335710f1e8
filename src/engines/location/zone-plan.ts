/**
 * Pure: the location config compiled once into what the tracker looks up on every report: each zone's shape and
 * size, each tag's kind and the zones where it belongs, which kinds each zone is restricted for.
 */
import { DEFAULT_RESTRICTED_SEVERITY } from '../../core/locations-config.js';
import { shapeArea, type Solid } from './geometry.js';
import type { LocationEngineConfig } from './location-config.js';

/** The kind given to tags that report but are not in the config. */
export const UNKNOWN_KIND = 'unknown';

export interface PlannedZone {
  id: string;
  equipment?: string;
  solid: Solid;
  /** Square metres, to pick the most specific of overlapping zones. */
  area: number;
}

export interface PlannedTag {
  id: string;
  kind: string;
  name?: string;
  home?: string;
  /** Home and allowed zones: being in any of them is being in place. */
  inPlaceZones: ReadonlySet<string>;
  /** How long the tag may stay out of place before it is misplaced; undefined when it is not watched. */
  misplacedAfterMs?: number;
}

export interface RestrictionRule {
  kinds: ReadonlySet<string>;
  severity: string;
}

export interface ZonePlan {
  zones: readonly PlannedZone[];
  zoneById: ReadonlyMap<string, PlannedZone>;
  tags: ReadonlyMap<string, PlannedTag>;
  restrictions: ReadonlyMap<string, readonly RestrictionRule[]>;
  hysteresisMeters: number;
}

function solidOf(zone: LocationEngineConfig['zones'][number]): Solid {
  const shape: Solid['shape'] =
    zone.rect !== undefined ? { kind: 'rect', x: zone.rect.x, y: zone.rect.y } : { kind: 'polygon', points: zone.polygon ?? [] };
  return zone.z === undefined ? { shape } : { shape, z: zone.z };
}

/** Compiles a (validated) location config. */
export function planOf(config: LocationEngineConfig): ZonePlan {
  const zones = config.zones.map((zone): PlannedZone => {
    const solid = solidOf(zone);
    return { id: zone.id, ...(zone.equipment === undefined ? {} : { equipment: zone.equipment }), solid, area: shapeArea(solid.shape) };
  });
  const tags = new Map<string, PlannedTag>();
  for (const tag of config.tags) {
    const inPlaceZones = new Set([...(tag.home === undefined ? [] : [tag.home]), ...(tag.allowedZones ?? [])]);
    // Tools are watched by default; any other kind only when its entry sets its own limit.
    const watched = inPlaceZones.size > 0 && (tag.kind === 'tool' || tag.misplacedAfterMinutes !== undefined);
    tags.set(tag.id, {
      id: tag.id,
      kind: tag.kind,
      ...(tag.name === undefined ? {} : { name: tag.name }),
      ...(tag.home === undefined ? {} : { home: tag.home }),
      inPlaceZones,
      ...(watched ? { misplacedAfterMs: (tag.misplacedAfterMinutes ?? config.misplacedAfterMinutes) * 60_000 } : {}),
    });
  }
  const restrictions = new Map<string, RestrictionRule[]>();
  for (const rule of config.restricted) {
    restrictions.set(rule.zone, [...(restrictions.get(rule.zone) ?? []), { kinds: new Set(rule.kinds), severity: rule.severity ?? DEFAULT_RESTRICTED_SEVERITY }]);
  }
  return { zones, zoneById: new Map(zones.map((zone) => [zone.id, zone])), tags, restrictions, hysteresisMeters: config.hysteresisMeters };
}

/** A tag's config, or an unwatched entry of kind `unknown` for a tag the config does not list. */
export function tagOf(plan: ZonePlan, tag: string): PlannedTag {
  return plan.tags.get(tag) ?? { id: tag, kind: UNKNOWN_KIND, inPlaceZones: new Set() };
}

/** The restriction a tag of `kind` breaks by entering `zone`, if any. */
export function restrictionFor(plan: ZonePlan, zone: string, kind: string): RestrictionRule | undefined {
  return plan.restrictions.get(zone)?.find((rule) => rule.kinds.has(kind));
}

/**
 * Where a tag in these zones is, for a subject: the most specific zone (the smallest; config order breaks ties) and
 * the most specific zone that belongs to equipment, which may be a larger one (a line around an unassigned aisle).
 */
export function placeOf(plan: ZonePlan, zoneIds: Iterable<string>): { zone?: PlannedZone; equipmentZone?: PlannedZone } {
  const zones = [...zoneIds]
    .map((id) => plan.zoneById.get(id))
    .filter((zone): zone is PlannedZone => zone !== undefined)
    .sort((a, b) => a.area - b.area || plan.zones.indexOf(a) - plan.zones.indexOf(b));
  const zone = zones[0];
  const equipmentZone = zones.find((candidate) => candidate.equipment !== undefined);
  return { ...(zone === undefined ? {} : { zone }), ...(equipmentZone === undefined ? {} : { equipmentZone }) };
}
