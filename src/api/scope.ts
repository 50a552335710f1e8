/**
 * Area scoping for requests: which areas a set of equipment ids touches, and which events a principal may see.
 */
import { ALL_AREAS, areasWith, type AccessScope, type Permission, type Principal } from '../core/access.js';
import type { PlantModel } from '../core/plant-model.js';

/** The scope of writing or reading about these equipment ids; anything not inside an area is plant-wide. */
export function scopeOfEquipment(plant: PlantModel, equipment: ReadonlyArray<string | undefined>): AccessScope {
  const areas = new Set<string>();
  for (const path of equipment) {
    const area = path === undefined ? undefined : plant.areaOf(path);
    if (area === undefined) return { kind: 'plant' };
    areas.add(area);
  }
  return areas.size === 0 ? { kind: 'plant' } : { kind: 'areas', areas: [...areas] };
}

/**
 * A predicate for reads: events about equipment in the principal's areas, plus events about no equipment (plant-wide
 * facts such as a released work order are readable by anyone who may read events).
 */
export function visibleTo(principal: Principal, permission: Permission, plant: PlantModel): (equipment: string | undefined) => boolean {
  const areas = areasWith(principal, permission);
  if (areas.has(ALL_AREAS)) return () => true;
  return (equipment) => {
    if (equipment === undefined) return true;
    const area = plant.areaOf(equipment);
    return area !== undefined && areas.has(area);
  };
}
