/**
 * The seam to an MTConnect agent for the CNC machines (protocol `mtconnect`): the model's machine tags translated
 * into MTConnect data items and observations. This module serves nothing itself; an agent (probe/current/sample over
 * HTTP, test/support/mtconnect-agent.ts or a later src/sim/servers/mtconnect-agent.ts) takes `dataItems()` for its
 * probe document, `current()` for its current document, and `subscribe()` for the stream of observations it numbers
 * with sequence numbers.
 */
import type { SimConfig } from '../config.js';
import { PACKML, REASONS } from '../model/machine.js';
import type { TagUpdate, TagValue } from '../model/types.js';

/** MTConnect data item categories. */
export type MtconnectCategory = 'EVENT' | 'SAMPLE' | 'CONDITION';

/** One data item of a device, as the probe document declares it. */
export interface CncDataItem {
  device: string;
  id: string;
  name: string;
  category: MtconnectCategory;
  type: string;
  subType?: string;
  units?: string;
  statistic?: string;
  /** The component the item sits under: Device itself, the Controller's Path, or the spindle (Rotary C). */
  component: 'Device' | 'Path' | 'Rotary';
}

/** The state of a CONDITION data item. */
export interface CncCondition {
  level: 'NORMAL' | 'FAULT';
  nativeCode?: string;
  text?: string;
}

/** One observation: the value as the agent writes it (UNAVAILABLE for none), with its simulated time. */
export interface CncObservation {
  device: string;
  dataItemId: string;
  value: string;
  ts: number;
  /** For CONDITION items: the level and, when faulted, the reason as native code and text. */
  condition?: CncCondition;
}

/** Receives each step's observations. */
export type CncListener = (observations: readonly CncObservation[]) => void;

/** MTConnect Execution for a PackML state (and the stop reason, which tells waiting from interrupted). */
export function executionOf(state: number, reason: string): string {
  switch (state) {
    case PACKML.Execute:
      return 'ACTIVE';
    case PACKML.Idle:
    case PACKML.Starting:
      return 'READY';
    case PACKML.Suspended:
      return reason === REASONS.starved || reason === REASONS.shortage ? 'WAIT' : 'INTERRUPTED';
    case PACKML.Held:
      return 'FEED_HOLD';
    default:
      return 'STOPPED';
  }
}

const text = (value: TagValue): string => (value === '' ? 'UNAVAILABLE' : String(value));

/** The MTConnect seam; see the module comment. */
export class CncFeed {
  readonly #devices: string[];
  readonly #items: CncDataItem[];
  readonly #current = new Map<string, CncObservation>();
  readonly #listeners = new Set<CncListener>();
  readonly #state = new Map<string, { state: number; reason: string }>();

  constructor(config: SimConfig) {
    this.#devices = config.machines.filter((machine) => machine.protocol === 'mtconnect').map((machine) => machine.id);
    this.#items = this.#devices.flatMap((device): CncDataItem[] => {
      const items: CncDataItem[] = [
        { device, id: `${device}-avail`, name: 'avail', category: 'EVENT', type: 'AVAILABILITY', component: 'Device' },
        { device, id: `${device}-execution`, name: 'execution', category: 'EVENT', type: 'EXECUTION', component: 'Path' },
        { device, id: `${device}-packml`, name: 'packml_state', category: 'EVENT', type: 'x:PACKML_STATE', component: 'Path' },
        { device, id: `${device}-part-count-good`, name: 'part_count_good', category: 'EVENT', type: 'PART_COUNT', subType: 'GOOD', component: 'Path' },
        { device, id: `${device}-part-count-bad`, name: 'part_count_bad', category: 'EVENT', type: 'PART_COUNT', subType: 'BAD', component: 'Path' },
        { device, id: `${device}-order`, name: 'order_number', category: 'EVENT', type: 'PROCESS_AGGREGATE_ID', subType: 'ORDER_NUMBER', component: 'Path' },
        { device, id: `${device}-message`, name: 'stop_reason', category: 'EVENT', type: 'MESSAGE', component: 'Path' },
        { device, id: `${device}-cycle-time`, name: 'cycle_time', category: 'SAMPLE', type: 'PROCESS_TIMER', subType: 'PROCESS', units: 'SECOND', component: 'Path' },
        { device, id: `${device}-system`, name: 'system', category: 'CONDITION', type: 'SYSTEM', component: 'Path' },
      ];
      if (config.bearing.machine === device) {
        items.push({
          device,
          id: `${device}-spindle-vib`,
          name: 'spindle_vibration',
          category: 'SAMPLE',
          type: 'VELOCITY',
          units: 'MILLIMETER/SECOND',
          statistic: 'ROOT_MEAN_SQUARE',
          component: 'Rotary',
        });
      }
      return items;
    });
    for (const device of this.#devices) {
      this.#current.set(`${device}-avail`, { device, dataItemId: `${device}-avail`, value: 'AVAILABLE', ts: Date.parse(config.start) });
    }
  }

  /** The devices (machine ids) behind the seam. */
  devices(): readonly string[] {
    return this.#devices;
  }

  /** Every data item, for the agent's probe document. */
  dataItems(): readonly CncDataItem[] {
    return this.#items;
  }

  /** The latest observation of every data item seen so far, for the agent's current document. */
  current(): CncObservation[] {
    return [...this.#current.values()];
  }

  /** Listens to the observations of every step (in order); returns the removal. */
  subscribe(listener: CncListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  serves(machine: string): boolean {
    return this.#devices.includes(machine);
  }

  /** Translates one step's tag updates of CNC machines and hands them to the listeners as one batch. */
  publishStep(updates: readonly TagUpdate[]): void {
    const batch: CncObservation[] = [];
    for (const update of updates) if (this.#devices.includes(update.machine)) batch.push(...this.#translate(update));
    if (batch.length === 0) return;
    for (const observation of batch) this.#current.set(observation.dataItemId, observation);
    for (const listener of this.#listeners) listener(batch);
  }

  #translate(update: TagUpdate): CncObservation[] {
    const device = update.machine;
    const at = (suffix: string, value: string, condition?: CncCondition): CncObservation => ({
      device,
      dataItemId: `${device}-${suffix}`,
      value,
      ts: update.ts,
      ...(condition === undefined ? {} : { condition }),
    });
    const known = this.#state.get(device) ?? { state: PACKML.Idle as number, reason: '' };
    this.#state.set(device, known);
    switch (update.tag) {
      case 'State': {
        known.state = Number(update.value);
        const faulted = known.state === PACKML.Faulted;
        return [
          at('packml', String(update.value)),
          at('execution', executionOf(known.state, known.reason)),
          at('system', faulted ? 'FAULT' : 'NORMAL', faulted ? { level: 'FAULT', nativeCode: known.reason, text: known.reason } : { level: 'NORMAL' }),
        ];
      }
      case 'StopReason':
        known.reason = String(update.value);
        // A machine already down with a new cause: the FAULT condition names the new one.
        if (known.state === PACKML.Faulted) return [at('message', text(update.value)), at('system', 'FAULT', { level: 'FAULT', nativeCode: known.reason, text: known.reason })];
        return [at('message', text(update.value))];
      case 'GoodCount':
        return [at('part-count-good', String(update.value))];
      case 'ScrapCount':
        return [at('part-count-bad', String(update.value))];
      case 'WorkOrder':
        return [at('order', text(update.value))];
      case 'CycleTime':
        return [at('cycle-time', String(update.value))];
      case 'SpindleVibration':
        return [at('spindle-vib', String(update.value))];
      default:
        return [];
    }
  }
}
