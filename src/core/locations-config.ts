/**
 * The `locations:` section of plant.yaml (docs/locations.md): the zones of the hall map, the tagged items the RTLS
 * reports (tools, carts, forklifts, people), which kinds may not enter which zones, and when a tool counts as
 * misplaced. Read by the location engine (engines/location) and the where-is query.
 */
import { Type, type Static } from '@sinclair/typebox';
import { SEVERITIES } from './context.js';

// Plain patterns here rather than plant-config's Id: importing plant-config would make the two files import each other.
const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64, description: 'kebab-case: lower-case letters, digits and hyphens' });
const Kind = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64, description: 'what the tag is on: tool, cart, forklift, person, ...' });
const Range = Type.Tuple([Type.Number(), Type.Number()], { description: '[min, max] in metres, min < max' });

/** Default of `misplacedAfterMinutes`. */
export const DEFAULT_MISPLACED_AFTER_MINUTES = 10;
/** Default of `hysteresisMeters`. */
export const DEFAULT_HYSTERESIS_METERS = 0.5;
/** Default severity of a restricted-zone entry. */
export const DEFAULT_RESTRICTED_SEVERITY = 'high';

export const ZoneSchema = Type.Object(
  {
    id: Id,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    equipment: Type.Optional(Type.String({ minLength: 1, description: 'The plant path the zone belongs to (a line, cell or machine), e.g. acme/plant-1/assembly/line-1.' })),
    rect: Type.Optional(Type.Object({ x: Range, y: Range }, { additionalProperties: false, description: 'An axis-aligned rectangle on the hall map.' })),
    polygon: Type.Optional(Type.Array(Type.Tuple([Type.Number(), Type.Number()]), { minItems: 3, description: 'Corners [x, y] in order (either direction); the last connects back to the first.' })),
    z: Type.Optional(Range),
  },
  { additionalProperties: false },
);
export type ZoneConfig = Static<typeof ZoneSchema>;

export const LocationTagSchema = Type.Object(
  {
    id: Id,
    kind: Kind,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    home: Type.Optional(Type.String({ minLength: 1, description: 'The zone id where the item belongs (a tool crib).' })),
    allowedZones: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Zone ids where the item may also be without counting as misplaced.' })),
    misplacedAfterMinutes: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'Overrides the section default for this tag; also makes a tag of another kind than tool watched for misplacement.' }),
    ),
  },
  { additionalProperties: false },
);
export type LocationTagConfig = Static<typeof LocationTagSchema>;

export const RestrictedZoneSchema = Type.Object(
  {
    zone: Type.String({ minLength: 1 }),
    kinds: Type.Array(Kind, { minItems: 1, description: 'Tag kinds that must not enter the zone, e.g. [forklift].' }),
    severity: Type.Optional(Type.Union(SEVERITIES.map((severity) => Type.Literal(severity)), { description: 'Severity of the breach event. Default high.' })),
  },
  { additionalProperties: false },
);
export type RestrictedZoneConfig = Static<typeof RestrictedZoneSchema>;

export const LocationsConfigSchema = Type.Object(
  {
    zones: Type.Array(ZoneSchema),
    tags: Type.Optional(Type.Array(LocationTagSchema)),
    restricted: Type.Optional(Type.Array(RestrictedZoneSchema)),
    misplacedAfterMinutes: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'A tool outside its home and allowed zones for longer than this is misplaced. Default 10.' }),
    ),
    hysteresisMeters: Type.Optional(
      Type.Number({ minimum: 0, maximum: 100, description: 'A tag leaves a zone only once it is this far outside it, so noise at a boundary does not chatter. Default 0.5.' }),
    ),
  },
  { additionalProperties: false },
);
export type LocationsConfig = Static<typeof LocationsConfigSchema>;

export interface LocationsIssue {
  path: string;
  message: string;
  allowed?: string[];
}

function duplicates(ids: readonly string[], base: string): LocationsIssue[] {
  const first = new Map<string, number>();
  const issues: LocationsIssue[] = [];
  ids.forEach((id, index) => {
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, index);
    else issues.push({ path: `${base}/${index}/id`, message: `duplicate id '${id}' (also at ${base}/${earlier})` });
  });
  return issues;
}

/** Twice the signed area of a polygon (shoelace); zero when its corners lie on one line. */
function doubleArea(points: ReadonlyArray<readonly [number, number]>): number {
  let sum = 0;
  points.forEach(([x, y], index) => {
    const [nextX, nextY] = points[(index + 1) % points.length]!;
    sum += x * nextY - nextX * y;
  });
  return sum;
}

function shapeIssues(zone: ZoneConfig, base: string): LocationsIssue[] {
  const issues: LocationsIssue[] = [];
  if (zone.rect === undefined && zone.polygon === undefined) issues.push({ path: base, message: `zone '${zone.id}' needs a shape: rect or polygon` });
  if (zone.rect !== undefined && zone.polygon !== undefined) issues.push({ path: base, message: `zone '${zone.id}' has both rect and polygon; give one` });
  if (zone.rect !== undefined) {
    for (const axis of ['x', 'y'] as const) {
      const [min, max] = zone.rect[axis];
      if (!(min < max)) issues.push({ path: `${base}/rect/${axis}`, message: `degenerate rectangle: ${axis} must be [min, max] with min < max, got [${min}, ${max}]` });
    }
  }
  if (zone.polygon !== undefined && zone.polygon.length >= 3 && doubleArea(zone.polygon) === 0) {
    issues.push({ path: `${base}/polygon`, message: 'degenerate polygon: its corners enclose no area' });
  }
  if (zone.z !== undefined && !(zone.z[0] < zone.z[1])) issues.push({ path: `${base}/z`, message: `z must be [min, max] with min < max, got [${zone.z[0]}, ${zone.z[1]}]` });
  return issues;
}

/**
 * The problems of a schema-valid locations section that the schema cannot see: duplicate ids, zones without a shape
 * or with one that encloses nothing, unknown zone ids in tags and restrictions, zone equipment that is not a plant path.
 */
export function locationsIssues(config: LocationsConfig | undefined, plant: { has(path: string): boolean }): LocationsIssue[] {
  if (config === undefined) return [];
  const issues: LocationsIssue[] = [];
  const zoneIds = config.zones.map((zone) => zone.id);
  const tags = config.tags ?? [];
  issues.push(...duplicates(zoneIds, '/locations/zones'));
  issues.push(...duplicates(tags.map((tag) => tag.id), '/locations/tags'));
  config.zones.forEach((zone, index) => {
    const base = `/locations/zones/${index}`;
    issues.push(...shapeIssues(zone, base));
    if (zone.equipment !== undefined && !plant.has(zone.equipment)) {
      issues.push({ path: `${base}/equipment`, message: `'${zone.equipment}' is not a path of this plant (an area, line, cell or machine path such as enterprise/site/area/line)` });
    }
  });
  const unknownZone = (zone: string, path: string): void => {
    if (!zoneIds.includes(zone)) issues.push({ path, message: `unknown zone '${zone}'`, allowed: zoneIds });
  };
  tags.forEach((tag, index) => {
    const base = `/locations/tags/${index}`;
    if (tag.home !== undefined) unknownZone(tag.home, `${base}/home`);
    (tag.allowedZones ?? []).forEach((zone, zoneIndex) => unknownZone(zone, `${base}/allowedZones/${zoneIndex}`));
  });
  (config.restricted ?? []).forEach((rule, index) => unknownZone(rule.zone, `/locations/restricted/${index}/zone`));
  return issues;
}
