/**
 * Equipment as the context engine needs it: found by path or by any id a person or system uses for it, with its
 * ISA-95 levels (site, area, line, cell) worked out once per path and kept, so resolving a context never walks the
 * tree again.
 */
import type { SignalContext } from '../../core/context.js';
import type { Crosswalk } from '../../core/crosswalk.js';
import { PATH_SEPARATOR, type PlantModel } from '../../core/plant-model.js';

export type EquipmentInfo = NonNullable<SignalContext['equipment']> & {
  /** Path of the line it lies on, when it lies on one. */
  linePath?: string;
  /** The site id, for the site's time zone. */
  site?: string;
};

export class PlantDirectory {
  readonly #plant: PlantModel;
  readonly #crosswalk: Crosswalk;
  /** Equipment node id → paths with that id; an id is usable on its own only when one node has it. */
  readonly #pathsById = new Map<string, string[]>();
  readonly #info = new Map<string, EquipmentInfo>();

  constructor(plant: PlantModel, crosswalk: Crosswalk) {
    this.#plant = plant;
    this.#crosswalk = crosswalk;
    for (const node of plant.nodesAt('equipment')) {
      const paths = this.#pathsById.get(node.id) ?? [];
      paths.push(node.path);
      this.#pathsById.set(node.id, paths);
    }
  }

  /**
   * The canonical path for a path, an equipment id unique in the plant, or an id some system uses for it (through
   * the crosswalk, valid at `at`, when exactly one equipment answers); undefined when none or several match.
   */
  pathOf(idOrPath: string, at: number): string | undefined {
    if (this.#plant.has(idOrPath)) return idOrPath;
    const byId = this.#pathsById.get(idOrPath);
    if (byId?.length === 1) return byId[0];
    if (byId !== undefined) return undefined;
    const found = new Set<string>();
    for (const mapping of this.#crosswalk.mappings()) {
      if (mapping.kind !== 'equipment' || mapping.externalId !== idOrPath) continue;
      const canonical = this.#crosswalk.resolve('equipment', mapping.system, idOrPath, at);
      if (canonical !== undefined && this.#plant.has(canonical)) found.add(canonical);
    }
    return found.size === 1 ? [...found][0] : undefined;
  }

  /** Maps an id from a system's data to a path: canonical paths as they are, others through the crosswalk. */
  resolveFrom(id: string, system: string, at: number): string | undefined {
    if (this.#plant.has(id)) return id;
    const canonical = this.#crosswalk.resolve('equipment', system, id, at);
    return canonical !== undefined && this.#plant.has(canonical) ? canonical : undefined;
  }

  /** The node at `path` with its levels; undefined for a path the plant does not have. */
  describe(path: string): EquipmentInfo | undefined {
    const cached = this.#info.get(path);
    if (cached !== undefined) return cached;
    const node = this.#plant.get(path);
    if (node === undefined) return undefined;
    const levels: EquipmentInfo['levels'] = {};
    let linePath: string | undefined;
    const parts = path.split(PATH_SEPARATOR);
    for (let length = 1; length < parts.length; length += 1) {
      const ancestorPath = parts.slice(0, length).join(PATH_SEPARATOR);
      const ancestor = this.#plant.get(ancestorPath);
      if (ancestor === undefined || ancestor.level === 'equipment') continue;
      levels[ancestor.level] = ancestor.id;
      if (ancestor.level === 'line') linePath = ancestorPath;
    }
    const info: EquipmentInfo = { path, name: node.name, levels };
    if (node.class !== undefined) info.class = node.class;
    const area = this.#plant.areaOf(path);
    if (area !== undefined) info.area = area;
    if (linePath !== undefined) info.linePath = linePath;
    if (levels.site !== undefined) info.site = levels.site;
    this.#info.set(path, info);
    return info;
  }

  /** The line an equipment path lies on, for "upstream on the same line". */
  lineOf(path: string): string | undefined {
    return this.describe(path)?.linePath;
  }
}
