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
