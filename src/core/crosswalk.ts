/**
 * The identifier crosswalk: one canonical id per entity, and the ids every other system uses for it, each with a
 * validity interval. Re-keying adds a new mapping with a new interval, so history keyed by the old id still resolves.
 */
import type { CrosswalkEntry, EntityKind } from './plant-config.js';

export interface CrosswalkMapping {
  kind: EntityKind;
  canonical: string;
  system: string;
  externalId: string;
  /** Epoch ms, inclusive; undefined means since ever. */
  validFrom?: number;
  /** Epoch ms, exclusive; undefined means still valid. */
  validTo?: number;
  provenance?: string;
}

export class Crosswalk {
  /** key `${kind}\u0000${system}\u0000${externalId}` → mappings, several when an id was reused over time. */
  readonly #byExternal = new Map<string, CrosswalkMapping[]>();
  readonly #byCanonical = new Map<string, CrosswalkMapping[]>();

  constructor(mappings: Iterable<CrosswalkMapping> = []) {
    for (const mapping of mappings) this.add(mapping);
  }

  /** Builds the crosswalk from the `crosswalk:` section of plant.yaml. */
  static fromConfig(entries: readonly CrosswalkEntry[] = []): Crosswalk {
    const crosswalk = new Crosswalk();
    for (const entry of entries) {
      for (const id of entry.ids) {
        const mapping: CrosswalkMapping = { kind: entry.kind, canonical: entry.canonical, system: id.system, externalId: id.id };
        if (id.validFrom !== undefined) mapping.validFrom = Date.parse(id.validFrom);
        if (id.validTo !== undefined) mapping.validTo = Date.parse(id.validTo);
        mapping.provenance = id.provenance ?? 'plant.yaml';
        crosswalk.add(mapping);
      }
    }
    return crosswalk;
  }

  add(mapping: CrosswalkMapping): void {
    pushTo(this.#byExternal, externalKey(mapping.kind, mapping.system, mapping.externalId), mapping);
    pushTo(this.#byCanonical, canonicalKey(mapping.kind, mapping.canonical), mapping);
  }

  /** The canonical id a system's id stood for at time `at` (epoch ms), or undefined when unknown then. */
  resolve(kind: EntityKind, system: string, externalId: string, at: number): string | undefined {
    const mappings = this.#byExternal.get(externalKey(kind, system, externalId));
    if (mappings === undefined) return undefined;
    // The latest-added mapping wins when intervals overlap: a correction made later is the one meant.
    for (let index = mappings.length - 1; index >= 0; index -= 1) {
      const mapping = mappings[index]!;
      if (isValidAt(mapping, at)) return mapping.canonical;
    }
    return undefined;
  }

  /** Every external id known for a canonical id. */
  externalIds(kind: EntityKind, canonical: string): CrosswalkMapping[] {
    return [...(this.#byCanonical.get(canonicalKey(kind, canonical)) ?? [])];
  }

  mappings(): CrosswalkMapping[] {
    return [...this.#byExternal.values()].flat();
  }
}

function isValidAt(mapping: CrosswalkMapping, at: number): boolean {
  return (mapping.validFrom === undefined || at >= mapping.validFrom) && (mapping.validTo === undefined || at < mapping.validTo);
}

function externalKey(kind: string, system: string, externalId: string): string {
  return `${kind}\u0000${system}\u0000${externalId}`;
}

function canonicalKey(kind: string, canonical: string): string {
  return `${kind}\u0000${canonical}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
