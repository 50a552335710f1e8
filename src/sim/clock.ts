/**
 * Simulated time for the demo plant. The model advances in fixed simulated steps, so its output depends only on the
 * seed and the config and never on real-time jitter: a stepper arms one real timer per step at `stepMs / speed`, and
 * when the process falls behind (a GC pause, a slow subscriber) it runs the missed steps at once. The steps are the
 * same either way; only their publication comes in a burst.
 *
 * The clock also offers `now()` and `at()` in the shape of core's `Clock`, so the layer can be run on plant time.
 */

/** One simulated step, handed to every step handler. */
export interface SimStep {
  /** 1 for the first step after the start instant. */
  index: number;
  /** Simulated epoch ms at the end of this step: `start + index × stepMs`. */
  now: number;
  stepMs: number;
}

/** Runs on every step; must not throw (a throw stops the stepper). */
export type StepHandler = (step: SimStep) => void;

/** How the simulated clock starts and how fast it runs. */
export interface SimClockOptions {
  /** Simulated epoch ms of the start instant (step 0). */
  start: number;
  /** Simulated length of one step. */
  stepMs: number;
  /** Simulated ms per real ms; 1 is real time. */
  speed: number;
  /** Most steps run in one burst before the event loop gets a turn (sockets must breathe). Default 500. */
  maxBurst?: number;
  /** Real time source, epoch ms; injectable for tests. Default Date.now. */
  realNow?: () => number;
  /** Called when a step handler throws; the clock has stopped by then. Default: the error is rethrown. */
  onError?: (error: unknown) => void;
}

interface PendingAt {
  at: number;
  handler: () => void;
  cancelled: boolean;
}

/** The demo plant's simulated clock: fixed steps, run synchronously or from real timers. */
export class SimClock {
  readonly start: number;
  readonly stepMs: number;
  readonly speed: number;
  readonly #maxBurst: number;
  readonly #realNow: () => number;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #handlers: StepHandler[] = [];
  #pending: PendingAt[] = [];
  #index = 0;
  #timer: NodeJS.Timeout | undefined;
  #realStart = 0;
  #indexAtRealStart = 0;
  #running = false;

  /** @throws RangeError when stepMs or speed is not a positive finite number */
  constructor(options: SimClockOptions) {
    if (!(options.stepMs > 0) || !Number.isFinite(options.stepMs)) throw new RangeError(`step must be a positive number of ms, got ${options.stepMs}`);
    if (!(options.speed > 0) || !Number.isFinite(options.speed)) throw new RangeError(`speed must be a positive number, got ${options.speed}`);
    this.start = options.start;
    this.stepMs = options.stepMs;
    this.speed = options.speed;
    this.#maxBurst = options.maxBurst ?? 500;
    this.#realNow = options.realNow ?? Date.now;
    this.#onError = options.onError;
  }

  /** Simulated epoch ms of the last step run (the start instant before the first). */
  now(): number {
    return this.start + this.#index * this.stepMs;
  }

  /** Steps run so far. */
  get index(): number {
    return this.#index;
  }

  /** Whether real timers are driving the clock. */
  get running(): boolean {
    return this.#running;
  }

  /** Adds a handler run on every step, in registration order; returns its removal. */
  onStep(handler: StepHandler): () => void {
    this.#handlers.push(handler);
    return () => {
      const position = this.#handlers.indexOf(handler);
      if (position >= 0) this.#handlers.splice(position, 1);
    };
  }

  /**
   * Calls `handler` after the step that reaches simulated time `at` (at the next step when it has already passed),
   * after that step's handlers. Matches core's `Clock.at`.
   */
  at(at: number, handler: () => void): { cancel(): void } {
    const entry: PendingAt = { at, handler, cancelled: false };
    this.#pending.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Runs `count` steps synchronously, without timers (unit tests, determinism checks, fast-forward). */
  runSteps(count: number): void {
    for (let step = 0; step < count; step += 1) this.#step();
  }

  /** Runs steps synchronously until simulated time reaches `time`. */
  runUntil(time: number): void {
    while (this.now() < time) this.#step();
  }

  /** Starts driving the steps from real timers; the next step is due `stepMs / speed` real ms from now. */
  startTimers(): void {
    if (this.#running) return;
    this.#running = true;
    this.#realStart = this.#realNow();
    this.#indexAtRealStart = this.#index;
    this.#arm();
  }

  /** Stops the real timers; steps can still be run by hand, and `startTimers` resumes from here. */
  stopTimers(): void {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Steps that real time says should have run by now. */
  #due(): number {
    return this.#indexAtRealStart + Math.floor(((this.#realNow() - this.#realStart) * this.speed) / this.stepMs);
  }

  #arm(): void {
    if (!this.#running) return;
    const nextRealAt = this.#realStart + ((this.#index + 1 - this.#indexAtRealStart) * this.stepMs) / this.speed;
    const delay = Math.max(0, nextRealAt - this.#realNow());
    this.#timer = setTimeout(() => this.#tick(), delay);
  }

  #tick(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    const due = Math.min(this.#due(), this.#index + this.#maxBurst);
    try {
      while (this.#running && this.#index < due) this.#step();
    } catch (error) {
      this.stopTimers();
      if (this.#onError === undefined) throw error;
      this.#onError(error);
      return;
    }
    this.#arm();
  }

  #step(): void {
    this.#index += 1;
    const step: SimStep = { index: this.#index, now: this.now(), stepMs: this.stepMs };
    for (const handler of [...this.#handlers]) handler(step);
    if (this.#pending.length === 0) return;
    const due = this.#pending.filter((entry) => !entry.cancelled && entry.at <= step.now);
    this.#pending = this.#pending.filter((entry) => !entry.cancelled && entry.at > step.now);
    for (const entry of due) entry.handler();
  }
}
