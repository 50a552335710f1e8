/**
 * Pure Sparkplug mapping: which binding a metric of a node or device belongs to, with + wildcards and {n}
 * placeholders for group, edge and device. The value transforms are core's mapReading.
 */
import { mapReading, type MappingMemory, type MappingResult, type MappingSource } from '../../core/mapping.js';
import type { SparkplugBinding } from './config.js';
import type { Reading } from './session.js';

function levelsMatch(pattern: string[], levels: string[]): boolean {
  return pattern.length === levels.length && pattern.every((level, index) => level === '+' || level === levels[index]);
}

function fill(template: string, levels: string[]): string {
  return template.replace(/\{(\d)\}/g, (whole, index: string) => levels[Number(index)] ?? whole);
}

/** Maps one reading through every binding that names its node or device and metric. */
export function mapSparkplugReading(bindings: readonly SparkplugBinding[], reading: Reading, memory: MappingMemory, source: MappingSource): MappingResult[] {
  const levels = reading.address.split('/');
  const results: MappingResult[] = [];
  for (const binding of bindings) {
    const separator = binding.address.indexOf(':');
    const metric = binding.address.slice(separator + 1);
    if (metric !== reading.metric || !levelsMatch(binding.address.slice(0, separator).split('/'), levels)) continue;
    const address = `${reading.address}:${reading.metric}`;
    const concrete = { ...binding, address, equipment: fill(binding.equipment, levels), signal: fill(binding.signal, levels) };
    results.push(mapReading(concrete, { address, value: reading.value, ts: reading.ts, quality: reading.quality }, memory, source));
  }
  return results;
}
