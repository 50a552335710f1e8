/**
 * Moves released work orders through their routings. Each machine works on one operation at a time, in release
 * order; a part can start an operation once the previous operation finished it good (a flow line with transfer
 * batches of one), and the first operation draws raw material, which a shortage withholds. Serial numbers are given
 * at the first operation and follow the part down the line.
 */
import type { WorkOrder } from './types.js';

/** Progress of one operation of one order. */
export interface Job {
  readonly order: WorkOrder;
  /** Index in the order's routing. */
  readonly step: number;
  readonly machine: string;
  /** The previous operation of the same order; undefined for the first. */
  readonly upstream: Job | undefined;
  started: number;
  inProcess: number;
  /** Serials finished good, in order: the next operation's input. */
  readonly good: string[];
  scrap: number;
  /** How many of the previous operation's good parts this one has taken. */
  consumed: number;
}

/** The answer to a machine asking for its next part. */
export type Take =
  | { ok: true; job: Job; serial: string }
  | { ok: false; reason: 'no-work' }
  | { ok: false; reason: 'starved' | 'material-shortage'; job: Job };

/** The work queues of every machine and the parts flowing between operations. */
export class Dispatcher {
  readonly #queues = new Map<string, Job[]>();
  readonly #serials = new Map<string, number>();
  readonly #shortages = new Set<string>();

  /** Queues every operation of a released order on its machine. */
  release(order: WorkOrder): void {
    let upstream: Job | undefined;
    for (const [index, step] of order.routing.entries()) {
      const job: Job = { order, step: index, machine: step.equipment, upstream, started: 0, inProcess: 0, good: [], scrap: 0, consumed: 0 };
      upstream = job;
      const queue = this.#queues.get(job.machine) ?? [];
      queue.push(job);
      this.#queues.set(job.machine, queue);
    }
  }

  /** Starts or ends a raw-material shortage on a line: its first operations cannot start parts meanwhile. */
  setShortage(line: string, active: boolean): void {
    if (active) this.#shortages.add(line);
    else this.#shortages.delete(line);
  }

  hasShortage(line: string): boolean {
    return this.#shortages.has(line);
  }

  /** Whether every part this operation will ever see has been through it. */
  isComplete(job: Job): boolean {
    if (job.inProcess > 0) return false;
    const upstream = job.upstream;
    if (upstream === undefined) return job.started >= job.order.quantity;
    return this.isComplete(upstream) && job.consumed >= upstream.good.length;
  }

  /** The operation a machine works on now: the oldest of its queue not yet complete. */
  current(machine: string): Job | undefined {
    const queue = this.#queues.get(machine);
    if (queue === undefined) return undefined;
    // Completed operations leave the queue; with them the last reference to a finished order goes.
    while (queue.length > 0 && this.isComplete(queue[0]!)) queue.shift();
    return queue[0];
  }

  /** Takes the next part for a machine, or says why there is none. */
  take(machine: string): Take {
    const job = this.current(machine);
    if (job === undefined) return { ok: false, reason: 'no-work' };
    const upstream = job.upstream;
    let serial: string;
    if (upstream === undefined) {
      if (this.#shortages.has(job.order.line)) return { ok: false, reason: 'material-shortage', job };
      const next = (this.#serials.get(job.order.line) ?? 0) + 1;
      this.#serials.set(job.order.line, next);
      serial = `${job.order.line}-${String(next).padStart(6, '0')}`;
    } else {
      const available = upstream.good[job.consumed];
      if (available === undefined) return { ok: false, reason: 'starved', job };
      serial = available;
      job.consumed += 1;
    }
    job.started += 1;
    job.inProcess += 1;
    return { ok: true, job, serial };
  }

  /** Records a finished part: good parts become the next operation's input. */
  finish(job: Job, serial: string, good: boolean): void {
    job.inProcess -= 1;
    if (good) job.good.push(serial);
    else job.scrap += 1;
  }
}
