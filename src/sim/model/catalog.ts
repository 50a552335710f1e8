/**
 * Which tags each piece of equipment serves: the standard machine tags (or the subset a machine's `tags` names),
 * plus the physics tags its sections add (a measured dimension, the bearing's vibration). The protocol servers
 * build their address spaces and births from this list.
 */
import { STANDARD_TAGS, type SimConfig } from '../config-schema.js';
import { MACHINE_TAGS, type TagDefinition } from './types.js';

/** A tag a machine serves, with its wire type. */
export interface ServedTag extends TagDefinition {
  name: string;
}

/** The tags a machine serves, in a stable order. */
export function machineTags(config: SimConfig, machineId: string): ServedTag[] {
  const machine = config.machines.find((candidate) => candidate.id === machineId);
  if (machine === undefined) return [];
  const names: string[] = [...(machine.tags ?? STANDARD_TAGS)];
  const dimensions = config.dimensions.filter((dimension) => dimension.machine === machineId);
  if (dimensions.length > 0) names.push('PartSerial', ...dimensions.map((dimension) => dimension.tag));
  if (config.bearing.machine === machineId) names.push('SpindleVibration');
  return names.map((name) => {
    const known = (MACHINE_TAGS as Record<string, TagDefinition>)[name];
    // A dimension tag with a custom name is a measurement like BoreDiameter.
    return { name, ...(known ?? MACHINE_TAGS.BoreDiameter) };
  });
}
