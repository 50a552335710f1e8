/**
 * The whole demo plant, composed from a config: machines on their lines fed by ERP orders, the bearing, the measured
 * dimensions, the camera, the utilities and the RTLS tags, plus the scripted incidents. Driven only by `step(t)`;
 * each step returns the updates it produced, in a fixed order, with simulated timestamps. Same seed and config, same
 * stream: `digestUpdates` proves it.
 */
import { createHash } from 'node:crypto';
import { PlantfabricError } from '../../core/errors.js';
import { STANDARD_TAGS, type MachineConfig, type SimConfig } from '../config-schema.js';
import { BearingModel } from './bearing.js';
import { DimensionModel } from './dimension.js';
import { Dispatcher } from './dispatcher.js';
import { OrderBook } from './erp.js';
import { BEARING_FAILURE_REASON, incidentTimes, startOf, type IncidentTimes } from './incidents.js';
import { MachineModel, type FinishedPart, type MachineEnvironment } from './machine.js';
import { RtlsModel } from './rtls.js';
import { ShiftCalendar, siteOffsetMinutes } from './shifts.js';
import type { PlantUpdate, TagUpdate, TagValue, WorkOrder } from './types.js';
import { UtilitiesModel } from './utilities.js';
import { VisionModel } from './vision.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** A material delivery the WMS was told about (it ends a shortage on its line). */
export interface MaterialDelivery {
  to: string;
  material?: string;
}

/** The demo plant model; see the module comment. */
export class Plant {
  readonly config: SimConfig;
  readonly start: number;
  readonly stepMs: number;
  readonly calendar: ShiftCalendar;
  readonly incidents: IncidentTimes;
  readonly #machines: Array<{ config: MachineConfig; model: MachineModel; env: MachineEnvironment }> = [];
  readonly #dispatcher = new Dispatcher();
  readonly #orders: OrderBook;
  readonly #released: WorkOrder[] = [];
  readonly #bearing: BearingModel;
  readonly #dimensions = new Map<string, DimensionModel[]>();
  readonly #vision: VisionModel;
  readonly #utilities: UtilitiesModel;
  readonly #rtls: RtlsModel;
  readonly #tags = new Map<string, TagUpdate>();
  readonly #served = new Map<string, ReadonlySet<string> | undefined>();
  readonly #deliveries: MaterialDelivery[] = [];
  #out: PlantUpdate[] = [];
  #now: number;
  #started = false;
  #longStopDone = false;
  #shortage: 'pending' | 'active' | 'over' = 'pending';
  #bearingFailsAt: number;
  #lastBearingSample: number;
  #lastUtilities: number;

  constructor(config: SimConfig) {
    this.config = config;
    this.start = startOf(config);
    this.stepMs = config.stepMs;
    this.#now = this.start;
    this.calendar = new ShiftCalendar(config.shifts, siteOffsetMinutes(config));
    this.incidents = incidentTimes(config);
    this.#orders = new OrderBook(config, this.calendar, config.seed);
    this.#bearing = new BearingModel(config.bearing, config.seed, this.start);
    this.#bearingFailsAt = this.#bearing.failsAt();
    this.#lastBearingSample = this.start;
    this.#lastUtilities = this.start;
    for (const dimension of config.dimensions) {
      const list = this.#dimensions.get(dimension.machine) ?? [];
      list.push(new DimensionModel(dimension, config.seed));
      this.#dimensions.set(dimension.machine, list);
    }
    this.#vision = new VisionModel(config.vision, config.seed, this.incidents.unreadableLabel.at);
    this.#utilities = new UtilitiesModel(config.utilities, config.seed);
    this.#rtls = new RtlsModel(config.rtls, config.incidents, config.seed, this.start);
    for (const machine of config.machines) {
      const model = new MachineModel(machine.id, config.machineClasses[machine.class]!, config.seed, (tag, value, ts) => this.#write(machine.id, tag, value, ts));
      const env: MachineEnvironment = { dispatcher: this.#dispatcher, handover: false, inspect: (part) => this.#inspect(part) };
      this.#machines.push({ config: machine, model, env });
      this.#served.set(machine.id, machine.tags === undefined ? undefined : new Set(machine.tags));
    }
  }

  /** Simulated time of the last step (the start instant before the first). */
  get now(): number {
    return this.#now;
  }

  /**
   * The start instant's updates: every tag's first value, every RTLS tag's position, the orders in work.
   * @throws PF_ERR_INTERNAL when called twice
   */
  initial(): PlantUpdate[] {
    if (this.#started) throw new PlantfabricError('PF_ERR_INTERNAL', 'the plant has already started');
    this.#started = true;
    const t = this.start;
    for (const order of this.#orders.carryOver(t)) this.#release(order, t);
    for (const { model } of this.#machines) model.writeInitial(t);
    const bearingMachine = this.machine(this.config.bearing.machine);
    this.#write(this.config.bearing.machine, 'SpindleVibration', this.#bearing.sample(t, bearingMachine?.processing ?? false), t);
    for (const [machine, dimensions] of this.#dimensions) {
      this.#write(machine, 'PartSerial', '', t);
      for (const dimension of dimensions) this.#write(machine, dimension.config.tag, dimension.config.nominal, t);
    }
    this.#sampleUtilities(t, 0);
    this.#out.push(...this.#rtls.initial(t));
    return this.#flush();
  }

  /**
   * Advances one step ending at simulated time `t` (normally `now + stepMs`) and returns its updates.
   * @throws PF_ERR_INTERNAL before `initial()` or when `t` is not after the last step
   */
  step(t: number): PlantUpdate[] {
    if (!this.#started) throw new PlantfabricError('PF_ERR_INTERNAL', 'call initial() before the first step');
    if (t <= this.#now) throw new PlantfabricError('PF_ERR_INTERNAL', `step to ${new Date(t).toISOString()} is not after ${new Date(this.#now).toISOString()}`);
    const previous = this.#now;
    const elapsed = t - previous;
    this.#now = t;

    if (this.calendar.startsBetween(previous, t).length > 0) {
      for (const dimensions of this.#dimensions.values()) for (const dimension of dimensions) if (dimension.config.toolChangeAtShiftStart) dimension.toolChange();
    }
    const handover = t - this.calendar.shiftAt(t).start < this.config.handoverMinutes * MINUTE_MS;
    for (const order of this.#orders.releasesBetween(previous, t)) this.#release(order, t);
    this.#scripted(t);

    for (const { model, env } of this.#machines) {
      env.handover = handover;
      model.step(t, elapsed, env);
    }
    const bearingMachine = this.machine(this.config.bearing.machine);
    if (t - this.#lastBearingSample >= this.config.bearing.sampleMs) {
      this.#lastBearingSample = t;
      this.#write(this.config.bearing.machine, 'SpindleVibration', this.#bearing.sample(t, bearingMachine?.processing ?? false), t);
    }
    if (t - this.#lastUtilities >= this.config.utilities.sampleMs) {
      this.#sampleUtilities(t, t - this.#lastUtilities);
      this.#lastUtilities = t;
    }
    this.#out.push(...this.#rtls.step(t, elapsed));
    return this.#flush();
  }

  /** Tells the plant that material was delivered (a WMS move); applied at the next step. */
  deliverMaterial(delivery: MaterialDelivery): void {
    this.#deliveries.push(delivery);
  }

  /** The current value of every tag, with the time it was written (for a server that restarts, a birth). */
  snapshot(): TagUpdate[] {
    return [...this.#tags.values()].filter((update) => this.#isServed(update.machine, update.tag));
  }

  /** The current value of one tag. */
  tag(machine: string, tag: string): TagValue | undefined {
    return this.#tags.get(`${machine}\u0000${tag}`)?.value;
  }

  /** The last update of one tag (its value and when it was written). */
  lastUpdate(machine: string, tag: string): TagUpdate | undefined {
    return this.#tags.get(`${machine}\u0000${tag}`);
  }

  /** Orders released so far, oldest first. */
  releasedOrders(): readonly WorkOrder[] {
    return this.#released;
  }

  /** A machine's model (read-only use: state, counts), or undefined. */
  machine(id: string): MachineModel | undefined {
    return this.#machines.find((entry) => entry.config.id === id)?.model;
  }

  /** Where an RTLS tag really is. */
  positionOf(tag: string): { x: number; y: number } | undefined {
    return this.#rtls.positionOf(tag);
  }

  #release(order: WorkOrder, t: number): void {
    this.#released.push(order);
    this.#dispatcher.release(order);
    this.#out.push({ kind: 'order', order, ts: t });
  }

  #scripted(t: number): void {
    const { longStop, materialShortage } = this.incidents;
    if (!this.#longStopDone && t >= longStop.from) {
      this.#longStopDone = true;
      this.machine(longStop.machine)?.forceFault(longStop.reason, longStop.to - longStop.from);
    }
    if (this.#shortage === 'pending' && t >= materialShortage.from) {
      this.#shortage = 'active';
      this.#dispatcher.setShortage(materialShortage.line, true);
    }
    const delivered = this.#deliveries.splice(0).some((delivery) => delivery.to === materialShortage.line || delivery.material === materialShortage.rawMaterial);
    if (this.#shortage === 'active' && (delivered || t >= materialShortage.autoResolveAt)) {
      this.#shortage = 'over';
      this.#dispatcher.setShortage(materialShortage.line, false);
    }
    if (t >= this.#bearingFailsAt) {
      const repairMs = this.config.bearing.repairHours * HOUR_MS;
      this.machine(this.config.bearing.machine)?.forceFault(BEARING_FAILURE_REASON, repairMs);
      this.#bearing.replace(t + repairMs);
      this.#bearingFailsAt = this.#bearing.failsAt();
    }
  }

  #inspect(part: FinishedPart): boolean {
    let scrap = false;
    for (const dimension of this.#dimensions.get(part.machine) ?? []) {
      const measurement = dimension.measure();
      // The serial first: a reader of the measurement can then tell which part it belongs to.
      this.#write(part.machine, 'PartSerial', part.serial, part.ts);
      this.#write(part.machine, dimension.config.tag, measurement.value, part.ts);
      if (!measurement.inSpec) scrap = true;
    }
    if (part.machine === this.#vision.machine) {
      const finding = this.#vision.inspect(part);
      if (finding.detection !== undefined) this.#out.push(finding.detection);
      if (finding.scrap) scrap = true;
    }
    return scrap;
  }

  #sampleUtilities(t: number, elapsed: number): void {
    const loads = this.#machines.map(({ model }) => ({ params: model.params, state: model.state, processing: model.processing }));
    const readings = this.#utilities.step(elapsed, loads);
    const { compressor, powerMeter } = this.config.utilities;
    this.#write(compressor.id, 'Pressure', readings.pressureBar, t);
    this.#write(compressor.id, 'Power', readings.compressorKw, t);
    this.#write(compressor.id, 'Running', readings.compressorRunning, t);
    this.#write(powerMeter.id, 'Power', readings.plantKw, t);
    this.#write(powerMeter.id, 'Energy', readings.energyKwh, t);
  }

  #isServed(machine: string, tag: string): boolean {
    const served = this.#served.get(machine);
    return served === undefined || !(STANDARD_TAGS as readonly string[]).includes(tag) || served.has(tag);
  }

  /** Records a tag value; emits it when it changed, never twice for one tag in the same millisecond. */
  #write(machine: string, tag: string, value: TagValue, ts: number): void {
    const key = `${machine}\u0000${tag}`;
    const previous = this.#tags.get(key);
    if (previous !== undefined && previous.value === value) return;
    const at = previous !== undefined && ts <= previous.ts ? previous.ts + 1 : ts;
    const update: TagUpdate = { kind: 'tag', machine, tag, value, ts: at };
    this.#tags.set(key, update);
    if (this.#isServed(machine, tag)) this.#out.push(update);
  }

  #flush(): PlantUpdate[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }
}

/** JSON with object keys sorted, so equal updates always serialise to equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) over the canonical JSON of the first `count` updates (all when omitted), one per line. */
export function digestUpdates(updates: readonly PlantUpdate[], count = updates.length): string {
  const hash = createHash('sha256');
  for (const update of updates.slice(0, count)) hash.update(`${canonicalJson(update)}\n`);
  return hash.digest('hex');
}

/** Runs a plant for `steps` steps without timers and returns every update, the start instant's first. */
export function simulate(config: SimConfig, steps: number): PlantUpdate[] {
  const plant = new Plant(config);
  const updates = plant.initial();
  for (let index = 1; index <= steps; index += 1) updates.push(...plant.step(plant.start + index * plant.stepMs));
  return updates;
}
