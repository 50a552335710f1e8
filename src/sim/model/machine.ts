/**
 * One machine's PackML-like state machine, stepped by the simulated clock. It runs the parts the dispatcher hands it
 * with a noisy cycle time, keeps good and scrap totals as a PLC does, stops for micro-stops, random faults, shift
 * handovers, starvation and material shortages, and says why in its StopReason tag. Pure: its only inputs are the
 * step, its own random streams and the environment the plant passes in.
 */
import { PlantfabricError } from '../../core/errors.js';
import type { MachineClass } from '../config.js';
import { Random, type Seed } from '../random.js';
import type { Dispatcher, Job } from './dispatcher.js';
import type { TagValue } from './types.js';

/** PackML state numbers (ISA-TR88.00.02); 20 is our documented vendor code for Faulted (equipment failure). */
export const PACKML = { Stopped: 2, Starting: 3, Idle: 4, Suspended: 5, Execute: 6, Held: 11, Faulted: 20 } as const;
/** A PackML state number the model uses. */
export type PackmlState = (typeof PACKML)[keyof typeof PACKML];

/** Canonical state names for the codes, for bindings' enum maps. */
export const PACKML_NAMES: Readonly<Record<PackmlState, string>> = {
  2: 'stopped', 3: 'starting', 4: 'idle', 5: 'suspended', 6: 'execute', 11: 'held', 20: 'faulted',
};

/** The only transitions the model makes; a test checks every run against this table. */
export const LEGAL_TRANSITIONS: Readonly<Record<PackmlState, readonly PackmlState[]>> = {
  [PACKML.Stopped]: [PACKML.Idle, PACKML.Faulted],
  [PACKML.Starting]: [PACKML.Execute, PACKML.Faulted],
  [PACKML.Idle]: [PACKML.Starting, PACKML.Faulted],
  [PACKML.Suspended]: [PACKML.Execute, PACKML.Held, PACKML.Idle, PACKML.Faulted],
  [PACKML.Execute]: [PACKML.Suspended, PACKML.Held, PACKML.Idle, PACKML.Faulted],
  [PACKML.Held]: [PACKML.Execute, PACKML.Faulted],
  [PACKML.Faulted]: [PACKML.Stopped],
};

/** StopReason texts the model sets itself (class-specific reasons come from the config). */
export const REASONS = {
  noWork: 'no-work-order',
  starved: 'starved',
  shortage: 'material-shortage',
  handover: 'shift-handover',
} as const;

/** Writes one tag of this machine; the plant keeps the stream ordered and deduplicated. */
export type TagSink = (tag: string, value: TagValue, ts: number) => void;

/** A part that just finished processing, for inspections (test stands, cameras) to judge. */
export interface FinishedPart {
  machine: string;
  serial: string;
  workOrder: string;
  ts: number;
}

/** What a machine sees of the plant around it during a step. */
export interface MachineEnvironment {
  dispatcher: Dispatcher;
  /** True during a shift handover: running machines are Held. */
  handover: boolean;
  /** Inspection of a finished part; true means it is scrap. */
  inspect?: (part: FinishedPart) => boolean;
}

interface PartInProcess {
  job: Job;
  serial: string;
  durationMs: number;
  remainingMs: number;
}

/** One machine of the plant. */
export class MachineModel {
  readonly id: string;
  readonly params: MachineClass;
  readonly #cycleRng: Random;
  readonly #faultRng: Random;
  readonly #stopRng: Random;
  readonly #scrapRng: Random;
  #state: PackmlState = PACKML.Idle;
  #reason: string = REASONS.noWork;
  #workOrder = '';
  #good: number;
  #scrap: number;
  #cycles = 0;
  #part: PartInProcess | undefined;
  /** End of a timed state (Starting, a micro-stop, Faulted, Stopped). */
  #until = 0;
  #waitingSince: number | undefined;
  #forced: { reason: string; durationMs: number } | undefined;
  readonly #write: TagSink;

  constructor(id: string, params: MachineClass, seed: Seed, write: TagSink) {
    this.id = id;
    this.params = params;
    const rng = new Random(seed, 'machine', id);
    this.#cycleRng = rng.derive('cycle');
    this.#faultRng = rng.derive('faults');
    this.#stopRng = rng.derive('micro-stops');
    this.#scrapRng = rng.derive('scrap');
    // PLC totals are never zero on a machine that has run for years.
    const initial = rng.derive('totals');
    this.#good = initial.int(20_000, 90_000);
    this.#scrap = Math.round(this.#good * params.scrapRate * initial.uniform(0.8, 1.2));
    this.#write = write;
  }

  get state(): PackmlState {
    return this.#state;
  }

  get reason(): string {
    return this.#reason;
  }

  /** Whether a part is being processed right now (spindle turning, press stroking). */
  get processing(): boolean {
    return this.#state === PACKML.Execute && this.#part !== undefined;
  }

  /** Parts processed since the start (good + scrap made in this run). */
  get cycles(): number {
    return this.#cycles;
  }

  get totals(): { good: number; scrap: number } {
    return { good: this.#good, scrap: this.#scrap };
  }

  /** Writes every tag's starting value. */
  writeInitial(ts: number): void {
    this.#write('State', this.#state, ts);
    this.#write('GoodCount', this.#good, ts);
    this.#write('ScrapCount', this.#scrap, ts);
    this.#write('StopReason', this.#reason, ts);
    this.#write('WorkOrder', this.#workOrder, ts);
    this.#write('CycleTime', this.params.cycleSeconds, ts);
  }

  /** Faults the machine at its next step for a fixed time (scripted long stop, bearing failure). */
  forceFault(reason: string, durationMs: number): void {
    this.#forced = { reason, durationMs };
  }

  /**
   * Advances one step ending at simulated time `t`.
   * @throws PF_ERR_INTERNAL if the model would make a transition LEGAL_TRANSITIONS does not allow (a bug)
   */
  step(t: number, stepMs: number, env: MachineEnvironment): void {
    if (this.#forced !== undefined) {
      const { reason, durationMs } = this.#forced;
      this.#forced = undefined;
      this.#fault(t, reason, durationMs);
      return;
    }
    switch (this.#state) {
      case PACKML.Faulted:
        if (t >= this.#until) {
          this.#until = t + this.params.resetSeconds * 1000;
          this.#enter(PACKML.Stopped, this.#reason, t);
        }
        return;
      case PACKML.Stopped:
        if (t >= this.#until) this.#enter(PACKML.Idle, env.dispatcher.current(this.id) === undefined ? REASONS.noWork : '', t);
        return;
      case PACKML.Idle:
        return this.#idle(t, env);
      case PACKML.Starting:
        if (t >= this.#until) {
          this.#enter(PACKML.Execute, '', t);
          this.#takeNext(t, 0, env);
        }
        return;
      case PACKML.Held:
        if (!env.handover) this.#enter(PACKML.Execute, '', t);
        return;
      case PACKML.Suspended:
        return this.#suspended(t, env);
      case PACKML.Execute:
        return this.#execute(t, stepMs, env);
    }
  }

  #idle(t: number, env: MachineEnvironment): void {
    if (env.handover) return;
    const job = env.dispatcher.current(this.id);
    if (job === undefined) {
      this.#setWorkOrder('', t);
      if (this.#reason !== REASONS.noWork) this.#setReason(REASONS.noWork, t);
      return;
    }
    this.#setWorkOrder(job.order.id, t);
    this.#until = t + this.params.startSeconds * 1000;
    this.#enter(PACKML.Starting, '', t);
  }

  #suspended(t: number, env: MachineEnvironment): void {
    if (env.handover) return this.#enter(PACKML.Held, REASONS.handover, t);
    if (this.#reason !== REASONS.starved && this.#reason !== REASONS.shortage) {
      if (t >= this.#until) this.#enter(PACKML.Execute, '', t);
      return;
    }
    if (this.#part !== undefined) {
      this.#enter(PACKML.Execute, '', t);
      return;
    }
    const take = env.dispatcher.take(this.id);
    if (take.ok) {
      this.#begin(take.job, take.serial, 0, t);
      this.#enter(PACKML.Execute, '', t);
    } else if (take.reason === 'no-work') {
      this.#setWorkOrder('', t);
      this.#enter(PACKML.Idle, REASONS.noWork, t);
    } else {
      // Still waiting, perhaps now for the other cause (the shortage ended but upstream has nothing yet).
      this.#setWorkOrder(take.job.order.id, t);
      this.#setReason(take.reason === 'starved' ? REASONS.starved : REASONS.shortage, t);
    }
  }

  #execute(t: number, stepMs: number, env: MachineEnvironment): void {
    if (env.handover) return this.#enter(PACKML.Held, REASONS.handover, t);
    let creditMs = 0;
    const part = this.#part;
    if (part !== undefined) {
      const seconds = stepMs / 1000;
      if (this.#faultRng.chance(seconds / (this.params.mtbfHours * 3600))) {
        const repairMs = Math.max(120_000, this.#faultRng.exponential(this.params.mttrMinutes * 60_000));
        return this.#fault(t, this.#faultRng.choice(this.params.faultReasons), repairMs);
      }
      if (this.#stopRng.chance((this.params.microStopsPerHour * seconds) / 3600)) {
        const [shortest, longest] = this.params.microStopSeconds;
        this.#until = t + Math.round(this.#stopRng.uniform(shortest, longest) * 1000);
        return this.#enter(PACKML.Suspended, this.#stopRng.choice(this.params.microStopReasons), t);
      }
      part.remainingMs -= stepMs;
      if (part.remainingMs > 0) return;
      creditMs = -part.remainingMs;
      this.#complete(part, t, env);
    }
    this.#takeNext(t, creditMs, env);
  }

  /** Starts the next part (with `creditMs` of this step already spent on it), or says why there is none. */
  #takeNext(t: number, creditMs: number, env: MachineEnvironment): void {
    const take = env.dispatcher.take(this.id);
    if (take.ok) {
      this.#begin(take.job, take.serial, creditMs, t);
      return;
    }
    if (take.reason === 'no-work') {
      this.#setWorkOrder('', t);
      return this.#enter(PACKML.Idle, REASONS.noWork, t);
    }
    this.#setWorkOrder(take.job.order.id, t);
    if (take.reason === 'material-shortage') return this.#enter(PACKML.Suspended, REASONS.shortage, t);
    this.#waitingSince ??= t;
    if (t - this.#waitingSince >= this.params.starvedAfterSeconds * 1000) this.#enter(PACKML.Suspended, REASONS.starved, t);
  }

  #begin(job: Job, serial: string, creditMs: number, t: number): void {
    const mean = this.params.cycleSeconds * 1000;
    const durationMs = Math.min(2 * mean, Math.max(0.5 * mean, this.#cycleRng.normal(mean, this.params.cycleSd * 1000)));
    this.#part = { job, serial, durationMs, remainingMs: durationMs - creditMs };
    this.#waitingSince = undefined;
    this.#setWorkOrder(job.order.id, t);
  }

  #complete(part: PartInProcess, t: number, env: MachineEnvironment): void {
    this.#part = undefined;
    this.#cycles += 1;
    const randomScrap = this.#scrapRng.chance(this.params.scrapRate);
    const inspectedScrap = env.inspect?.({ machine: this.id, serial: part.serial, workOrder: part.job.order.id, ts: t }) ?? false;
    this.#write('CycleTime', Math.round(part.durationMs / 10) / 100, t);
    if (randomScrap || inspectedScrap) {
      this.#scrap += 1;
      this.#write('ScrapCount', this.#scrap, t);
    } else {
      this.#good += 1;
      this.#write('GoodCount', this.#good, t);
    }
    env.dispatcher.finish(part.job, part.serial, !(randomScrap || inspectedScrap));
  }

  #fault(t: number, reason: string, durationMs: number): void {
    this.#until = t + durationMs;
    if (this.#state === PACKML.Faulted) {
      // Already down: the new cause takes over and the repair takes as long as the new one needs.
      this.#setReason(reason, t);
      return;
    }
    this.#enter(PACKML.Faulted, reason, t);
  }

  #enter(state: PackmlState, reason: string, t: number): void {
    if (!LEGAL_TRANSITIONS[this.#state].includes(state)) {
      throw new PlantfabricError('PF_ERR_INTERNAL', `${this.id}: illegal PackML transition ${this.#state} → ${state} at ${new Date(t).toISOString()}`);
    }
    // The reason goes first, so a reader that sees the new state already knows why.
    this.#setReason(reason, t);
    this.#state = state;
    if (state !== PACKML.Execute) this.#waitingSince = undefined;
    this.#write('State', state, t);
  }

  #setReason(reason: string, t: number): void {
    if (reason === this.#reason) return;
    this.#reason = reason;
    this.#write('StopReason', reason, t);
  }

  #setWorkOrder(id: string, t: number): void {
    if (id === this.#workOrder) return;
    this.#workOrder = id;
    this.#write('WorkOrder', id, t);
  }
}
