/**
 * The ISA-95 equipment hierarchy built from a validated plant config: every node has a stable path id
 * (`enterprise/site/area[/line[/cell]]/equipment`) that events, samples, grants and the namespace all use.
 */
import type { PlantConfig } from './plant-config.js';

export type EquipmentLevel = 'enterprise' | 'site' | 'area' | 'line' | 'cell' | 'equipment';

export interface PlantNode {
  path: string;
  id: string;
  level: EquipmentLevel;
  name: string;
  /** The equipment class id, for equipment nodes that name one. */
  class?: string;
  attributes?: Record<string, string | number | boolean>;
  children: PlantNode[];
}

export const PATH_SEPARATOR = '/';

export class PlantModel {
  readonly root: PlantNode;
  readonly #byPath = new Map<string, PlantNode>();
  readonly #areaOfPath = new Map<string, string>();

  constructor(readonly config: PlantConfig) {
    const enterprise = config.enterprise;
    this.root = this.#node(enterprise.id, enterprise.id, 'enterprise', enterprise.name, undefined);
    for (const site of config.sites) {
      const sitePath = join(this.root.path, site.id);
      const siteNode = this.#node(sitePath, site.id, 'site', site.name, undefined);
      this.root.children.push(siteNode);
      for (const area of site.areas) {
        const areaPath = join(sitePath, area.id);
        const areaNode = this.#node(areaPath, area.id, 'area', area.name, area.id);
        siteNode.children.push(areaNode);
        for (const equipment of area.equipment ?? []) {
          areaNode.children.push(this.#equipment(areaPath, equipment, area.id));
        }
        for (const line of area.lines ?? []) {
          const linePath = join(areaPath, line.id);
          const lineNode = this.#node(linePath, line.id, 'line', line.name, area.id);
          areaNode.children.push(lineNode);
          for (const equipment of line.equipment ?? []) {
            lineNode.children.push(this.#equipment(linePath, equipment, area.id));
          }
          for (const cell of line.cells ?? []) {
            const cellPath = join(linePath, cell.id);
            const cellNode = this.#node(cellPath, cell.id, 'cell', cell.name, area.id);
            lineNode.children.push(cellNode);
            for (const equipment of cell.equipment) {
              cellNode.children.push(this.#equipment(cellPath, equipment, area.id));
            }
          }
        }
      }
    }
  }

  /** The node at a path id, or undefined. */
  get(path: string): PlantNode | undefined {
    return this.#byPath.get(path);
  }

  has(path: string): boolean {
    return this.#byPath.has(path);
  }

  /** The area id a path lies in, or undefined for the enterprise, sites and unknown paths. */
  areaOf(path: string): string | undefined {
    return this.#areaOfPath.get(path);
  }

  /** Every node, parents before children. */
  nodes(): PlantNode[] {
    return [...this.#byPath.values()];
  }

  /** Every node of one level. */
  nodesAt(level: EquipmentLevel): PlantNode[] {
    return this.nodes().filter((node) => node.level === level);
  }

  /** True when `path` is `ancestor` itself or lies below it. */
  static isWithin(path: string, ancestor: string): boolean {
    return path === ancestor || path.startsWith(ancestor + PATH_SEPARATOR);
  }

  #equipment(
    parentPath: string,
    equipment: { id: string; name?: string; class?: string; attributes?: Record<string, string | number | boolean> },
    areaId: string,
  ): PlantNode {
    const node = this.#node(join(parentPath, equipment.id), equipment.id, 'equipment', equipment.name, areaId);
    if (equipment.class !== undefined) node.class = equipment.class;
    if (equipment.attributes !== undefined) node.attributes = equipment.attributes;
    return node;
  }

  #node(path: string, id: string, level: EquipmentLevel, name: string | undefined, areaId: string | undefined): PlantNode {
    const node: PlantNode = { path, id, level, name: name ?? id, children: [] };
    this.#byPath.set(path, node);
    if (areaId !== undefined) this.#areaOfPath.set(path, areaId);
    return node;
  }
}

function join(parent: string, id: string): string {
  return parent + PATH_SEPARATOR + id;
}
