/**
 * The plant's Sparkplug side: one edge node per line with Sparkplug machines (group = the line's area, edge node =
 * the line, device = the machine), so a binding address reads `assembly/line-2/press-2:State`. Each step's tag
 * updates go out as one DDATA per device.
 */
import type { SimConfig } from '../config.js';
import { machineTags } from '../model/catalog.js';
import type { TagUpdate } from '../model/types.js';
import { SparkplugEdgeNode, type MetricValueAt } from './sparkplug-edge.js';

/** The broker and the model's values for births. */
export interface SparkplugLinesOptions {
  brokerUrl: string;
  /** The model's current value of a tag, for births. */
  current(machine: string, tag: string): MetricValueAt | undefined;
  now(): number;
  log?: (line: string) => void;
  /** The Primary Host Application the edge nodes wait for (Sparkplug B 3.0). */
  primaryHostId?: string;
}

/** The plant's Sparkplug edge nodes. */
export class SparkplugLines {
  readonly nodes: SparkplugEdgeNode[] = [];
  readonly #nodeOf = new Map<string, SparkplugEdgeNode>();

  constructor(config: SimConfig, options: SparkplugLinesOptions) {
    const lines = new Map<string, { area: string; line: string; machines: string[] }>();
    for (const machine of config.machines) {
      if (machine.protocol !== 'sparkplug') continue;
      const line = machine.line ?? machine.area;
      const key = `${machine.area}/${line}`;
      const entry = lines.get(key) ?? { area: machine.area, line, machines: [] };
      entry.machines.push(machine.id);
      lines.set(key, entry);
    }
    for (const { area, line, machines } of lines.values()) {
      const node = new SparkplugEdgeNode({
        url: options.brokerUrl,
        group: area,
        edge: line,
        devices: machines.map((id) => ({ id, metrics: machineTags(config, id).map((tag) => ({ name: tag.name, type: tag.dataType })) })),
        current: options.current,
        now: options.now,
        ...(options.log === undefined ? {} : { log: options.log }),
        ...(options.primaryHostId === undefined ? {} : { primaryHostId: options.primaryHostId }),
      });
      this.nodes.push(node);
      for (const machine of machines) this.#nodeOf.set(machine, node);
    }
  }

  serves(machine: string): boolean {
    return this.#nodeOf.has(machine);
  }

  /** Publishes one step's updates of Sparkplug machines: one DDATA per device, stamped with the step's time. */
  publishStep(updates: readonly TagUpdate[], ts: number): void {
    const byMachine = new Map<string, TagUpdate[]>();
    for (const update of updates) {
      if (!this.#nodeOf.has(update.machine)) continue;
      const list = byMachine.get(update.machine) ?? [];
      list.push(update);
      byMachine.set(update.machine, list);
    }
    for (const [machine, list] of byMachine) {
      this.#nodeOf.get(machine)!.publish(machine, list.map((update) => ({ name: update.tag, value: update.value, ts: update.ts })), ts);
    }
  }

  /** Started and not stopped (possibly reconnecting). */
  get running(): boolean {
    return this.nodes.some((node) => node.running);
  }

  get online(): boolean {
    return this.nodes.every((node) => node.online);
  }

  async start(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.start()));
  }

  /** Drops every node's connection abruptly (the broker publishes their NDEATH Wills). */
  async kill(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()));
  }

  /** Publishes NDEATH and disconnects every node. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
  }
}
