/**
 * Time as the plant sees it. Production runs on the system clock; the demo plant runs N times faster, and then every
 * part of the layer (receive times, SLA deadlines, verification windows, escalation timers) must agree on one clock,
 * or a 15-minute SLA would take 15 real minutes in a 60× demo. Code that waits takes a Clock, never calls setTimeout
 * on plant time itself.
 */

export interface ClockTimer {
  cancel(): void;
}

export interface Clock {
  /** Plant time, epoch ms. */
  now(): number;
  /** Calls `handler` once plant time reaches `at` (epoch ms); at once (next turn) when it already has. */
  at(at: number, handler: () => void): ClockTimer;
}

/** Real time. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  at(at: number, handler: () => void): ClockTimer {
    return scheduleReal(Math.max(0, at - Date.now()), handler);
  }
}

/**
 * Plant time that starts at `origin` and runs `speed` times faster than real time (the demo and its tests).
 * `speed` 1 with `origin` = now behaves like the system clock.
 */
export class ScaledClock implements Clock {
  readonly #origin: number;
  readonly #speed: number;
  readonly #realStart: number;

  constructor(options: { origin: number; speed: number; realStart?: number }) {
    if (!(options.speed > 0) || !Number.isFinite(options.speed)) throw new RangeError(`clock speed must be a positive number, got ${options.speed}`);
    this.#origin = options.origin;
    this.#speed = options.speed;
    this.#realStart = options.realStart ?? Date.now();
  }

  get speed(): number {
    return this.#speed;
  }

  now(): number {
    return Math.floor(this.#origin + (Date.now() - this.#realStart) * this.#speed);
  }

  at(at: number, handler: () => void): ClockTimer {
    return scheduleReal(Math.max(0, (at - this.now()) / this.#speed), handler);
  }
}

/** Node caps timers at 2^31-1 ms (~24.8 days); a longer wait is chained. Timers never hold the process open. */
function scheduleReal(delayMs: number, handler: () => void): ClockTimer {
  const MAX = 2_147_483_647;
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (remaining: number): void => {
    timer = setTimeout(() => {
      if (cancelled) return;
      if (remaining > MAX) arm(remaining - MAX);
      else handler();
    }, Math.min(remaining, MAX));
    timer.unref();
  };
  arm(delayMs);
  return {
    cancel() {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}

/**
 * Plant time moved by hand: replays (shadow mode) advance it to each event's time, so hold-for durations, SLA
 * deadlines and verification windows fall due exactly when they would have live; tests use it to skip hours.
 */
export class ManualClock implements Clock {
  #now: number;
  readonly #timers = new Set<{ at: number; handler: () => void }>();

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  at(at: number, handler: () => void): ClockTimer {
    const timer = { at, handler };
    this.#timers.add(timer);
    if (at <= this.#now) setImmediate(() => this.#fire(timer));
    return { cancel: () => void this.#timers.delete(timer) };
  }

  /** Moves plant time forward by `ms` and runs every handler that fell due, earliest first. */
  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  /** Moves plant time forward to `time` (never back) and runs every handler that fell due, earliest first. */
  advanceTo(time: number): void {
    if (time > this.#now) this.#now = time;
    const due = [...this.#timers].filter((timer) => timer.at <= this.#now).sort((a, b) => a.at - b.at);
    for (const timer of due) this.#fire(timer);
  }

  /** Handlers waiting. */
  get pending(): number {
    return this.#timers.size;
  }

  #fire(timer: { at: number; handler: () => void }): void {
    if (this.#timers.delete(timer)) timer.handler();
  }
}
