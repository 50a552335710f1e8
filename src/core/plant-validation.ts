/**
 * Validates a parsed plant.yaml: first against the schema, then for the references between sections (classes,
 * areas, shifts, users, crosswalk targets). Every problem is reported at once, with its path and, where the value
 * must be one of a set, the allowed values — so an engineer fixes the file in one pass.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { registerFormats } from './formats.js';
import { PlantConfigSchema, ROLES, type PlantConfig } from './plant-config.js';
import { PlantModel } from './plant-model.js';
import { anomalyIssues } from './anomaly-config.js';
import { locationsIssues } from './locations-config.js';
import { maintenanceIssues } from './maintenance-config.js';
import { notificationsIssues } from './notifications-config.js';
import { routingIssues } from './routing-config.js';
import { spcIssues } from './spc-config.js';

export interface ConfigIssue {
  /** JSON pointer into the document, e.g. `/sites/0/areas/1/id`. */
  path: string;
  message: string;
  allowed?: string[];
}

export type PlantValidation = { ok: true; config: PlantConfig } | { ok: false; issues: ConfigIssue[] };

registerFormats();
const check = TypeCompiler.Compile(PlantConfigSchema);

function literalValues(schema: TSchema): string[] | undefined {
  const options = (schema as { anyOf?: TSchema[] }).anyOf;
  if (options === undefined) return undefined;
  const values = options.map((option) => (option as { const?: unknown }).const);
  return values.every((value) => value !== undefined) ? values.map(String) : undefined;
}

function describeSchemaError(error: ValueError): ConfigIssue {
  const path = error.path === '' ? '/' : error.path;
  const allowed = literalValues(error.schema);
  if (allowed !== undefined) return { path, message: `${JSON.stringify(error.value)} is not allowed`, allowed };
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const key = path.split('/').pop() ?? '';
    return { path, message: `unknown key '${key}'` };
  }
  if (error.type === ValueErrorType.ObjectRequiredProperty) return { path, message: 'required' };
  const description = (error.schema as { description?: string }).description;
  return { path, message: description === undefined ? error.message : `${error.message} (${description})` };
}

/** Adds the allowed keys to unknown-key issues, from the schema of the object that holds them. */
function withAllowedKeys(issue: ConfigIssue): ConfigIssue {
  if (!issue.message.startsWith('unknown key')) return issue;
  const parentPath = issue.path.split('/').slice(0, -1);
  const keys = propertiesAt(PlantConfigSchema, parentPath.slice(1));
  return keys === undefined ? issue : { ...issue, allowed: keys };
}

/** The property names of the object schema at a document path (array indexes step into `items`). */
function propertiesAt(schema: TSchema, segments: string[]): string[] | undefined {
  let current: TSchema | undefined = schema;
  for (const segment of segments) {
    if (current === undefined) return undefined;
    const properties: Record<string, TSchema> | undefined = (current as { properties?: Record<string, TSchema> }).properties;
    const items: TSchema | undefined = (current as { items?: TSchema }).items;
    current = properties?.[segment] ?? (/^\d+$/.test(segment) ? items : undefined);
  }
  const properties = (current as { properties?: Record<string, TSchema> } | undefined)?.properties;
  return properties === undefined ? undefined : Object.keys(properties);
}

function schemaIssues(value: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const error of check.Errors(value)) {
    // TypeBox reports a union failure once for the union and again per member; one readable line per path is enough.
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    issues.push(withAllowedKeys(describeSchemaError(error)));
  }
  return issues;
}

function duplicates<T>(items: readonly T[], key: (item: T) => string, basePath: string, field = 'id'): ConfigIssue[] {
  const first = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  items.forEach((item, index) => {
    const id = key(item);
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, index);
    else issues.push({ path: `${basePath}/${index}/${field}`, message: `duplicate id '${id}' (also at ${basePath}/${earlier})` });
  });
  return issues;
}

function referenceIssues(config: PlantConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const classIds = (config.equipmentClasses ?? []).map((item) => item.id);
  const areaIds: string[] = [];
  const areaPaths: Array<{ id: string; path: string }> = [];

  issues.push(...duplicates(config.sites, (site) => site.id, '/sites'));
  config.sites.forEach((site, siteIndex) => {
    const sitePath = `/sites/${siteIndex}`;
    issues.push(...duplicates(site.areas, (area) => area.id, `${sitePath}/areas`));
    site.areas.forEach((area, areaIndex) => {
      const areaPath = `${sitePath}/areas/${areaIndex}`;
      areaIds.push(area.id);
      areaPaths.push({ id: area.id, path: areaPath });
      const checkEquipment = (list: Array<{ id: string; class?: string }> | undefined, path: string, siblings: string[]): void => {
        (list ?? []).forEach((equipment, index) => {
          if (siblings.includes(equipment.id)) issues.push({ path: `${path}/${index}/id`, message: `duplicate id '${equipment.id}' among siblings` });
          siblings.push(equipment.id);
          if (equipment.class !== undefined && !classIds.includes(equipment.class)) {
            issues.push({ path: `${path}/${index}/class`, message: `unknown equipment class '${equipment.class}'`, allowed: classIds });
          }
        });
      };
      const areaChildren: string[] = (area.lines ?? []).map((line) => line.id);
      issues.push(...duplicates(area.lines ?? [], (line) => line.id, `${areaPath}/lines`));
      checkEquipment(area.equipment, `${areaPath}/equipment`, areaChildren);
      (area.lines ?? []).forEach((line, lineIndex) => {
        const linePath = `${areaPath}/lines/${lineIndex}`;
        const lineChildren = (line.cells ?? []).map((cell) => cell.id);
        issues.push(...duplicates(line.cells ?? [], (cell) => cell.id, `${linePath}/cells`));
        checkEquipment(line.equipment, `${linePath}/equipment`, lineChildren);
        (line.cells ?? []).forEach((cell, cellIndex) => checkEquipment(cell.equipment, `${linePath}/cells/${cellIndex}/equipment`, []));
      });
    });
  });
  // Grants and the roster name areas by id alone, so an area id must be unique across the whole plant.
  const areaFirst = new Map<string, string>();
  for (const { id, path } of areaPaths) {
    const earlier = areaFirst.get(id);
    if (earlier !== undefined && earlier.split('/areas/')[0] !== path.split('/areas/')[0]) {
      issues.push({ path: `${path}/id`, message: `area id '${id}' is also used at ${earlier}; area ids must be unique across sites` });
    } else if (earlier === undefined) areaFirst.set(id, path);
  }

  issues.push(...duplicates(config.equipmentClasses ?? [], (item) => item.id, '/equipmentClasses'));
  issues.push(...duplicates(config.materials ?? [], (item) => item.id, '/materials'));
  issues.push(...duplicates(config.shifts ?? [], (item) => item.id, '/shifts'));
  issues.push(...duplicates(config.users ?? [], (item) => item.id, '/users'));

  (config.shifts ?? []).forEach((shift, index) => {
    if (shift.start === shift.end) issues.push({ path: `/shifts/${index}/end`, message: 'a shift cannot end when it starts' });
  });

  const plant = new PlantModel(config);
  const equipmentPaths = plant.nodes().filter((node) => node.level === 'equipment').map((node) => node.path);
  const materialIds = (config.materials ?? []).map((item) => item.id);
  const claimed: Array<{ key: string; canonical: string; from: number; to: number; path: string }> = [];
  (config.crosswalk ?? []).forEach((entry, entryIndex) => {
    const entryPath = `/crosswalk/${entryIndex}`;
    if (entry.kind === 'equipment' && !plant.has(entry.canonical)) {
      issues.push({ path: `${entryPath}/canonical`, message: `'${entry.canonical}' is not an equipment path of this plant`, allowed: equipmentPaths });
    }
    if (entry.kind === 'material' && materialIds.length > 0 && !materialIds.includes(entry.canonical)) {
      issues.push({ path: `${entryPath}/canonical`, message: `'${entry.canonical}' is not a material id`, allowed: materialIds });
    }
    entry.ids.forEach((id, idIndex) => {
      const path = `${entryPath}/ids/${idIndex}`;
      const from = id.validFrom === undefined ? -Infinity : Date.parse(id.validFrom);
      const to = id.validTo === undefined ? Infinity : Date.parse(id.validTo);
      if (from >= to) issues.push({ path: `${path}/validTo`, message: 'validTo must be after validFrom' });
      const key = `${entry.kind}\u0000${id.system}\u0000${id.id}`;
      const clash = claimed.find((other) => other.key === key && other.canonical !== entry.canonical && from < other.to && other.from < to);
      if (clash !== undefined) {
        issues.push({ path, message: `${id.system} id '${id.id}' already means '${clash.canonical}' (${clash.path}) during an overlapping interval` });
      }
      claimed.push({ key, canonical: entry.canonical, from, to, path });
    });
  });

  const userIds = (config.users ?? []).map((user) => user.id);
  const shiftIds = (config.shifts ?? []).map((shift) => shift.id);
  (config.roster ?? []).forEach((entry, index) => {
    const path = `/roster/${index}`;
    if (!shiftIds.includes(entry.shift)) issues.push({ path: `${path}/shift`, message: `unknown shift '${entry.shift}'`, allowed: shiftIds });
    if (!areaIds.includes(entry.area)) issues.push({ path: `${path}/area`, message: `unknown area '${entry.area}'`, allowed: areaIds });
    entry.users.forEach((user, userIndex) => {
      if (!userIds.includes(user)) issues.push({ path: `${path}/users/${userIndex}`, message: `unknown user '${user}'`, allowed: userIds });
    });
  });
  (config.users ?? []).forEach((user, userIndex) => {
    user.grants.forEach((grant, grantIndex) => {
      grant.areas.forEach((area, areaIndex) => {
        if (area !== '*' && !areaIds.includes(area)) {
          issues.push({ path: `/users/${userIndex}/grants/${grantIndex}/areas/${areaIndex}`, message: `unknown area '${area}'`, allowed: ['*', ...areaIds] });
        }
      });
    });
  });
  issues.push(...routingIssues(config.routing, { areas: areaIds, users: userIds, roles: ROLES }));
  issues.push(...notificationsIssues(config.notifications));
  issues.push(...locationsIssues(config.locations, plant));
  issues.push(...anomalyIssues(config.anomaly, plant));
  issues.push(...maintenanceIssues(config.maintenance, plant));
  issues.push(...spcIssues(config.spc, plant));
  return issues;
}

/** Checks a parsed plant.yaml; returns the typed config (with schema defaults applied) or every problem found. */
export function validatePlantConfig(value: unknown): PlantValidation {
  const issues = schemaIssues(value);
  if (issues.length > 0) return { ok: false, issues };
  const config = Value.Default(PlantConfigSchema, structuredClone(value)) as PlantConfig;
  const references = referenceIssues(config);
  return references.length > 0 ? { ok: false, issues: references } : { ok: true, config };
}
