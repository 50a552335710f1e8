/**
 * The one bounded backoff every reconnecting part uses (ARCHITECTURE.md §2): exponential with full jitter, a ceiling,
 * and an optional attempt limit, so a dead endpoint is retried politely and never in a tight loop.
 */

export interface BackoffOptions {
  /** First delay. Default 500 ms. */
  initialMs?: number;
  /** Ceiling for any delay. Default 30 s. */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Fraction of each delay randomised (0..1), so many connectors do not reconnect in lock-step. Default 0.2. */
  jitter?: number;
  /** Give up after this many attempts; undefined retries forever. */
  maxAttempts?: number;
  /** Source of randomness in [0,1); injectable for deterministic tests. */
  random?: () => number;
}

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #factor: number;
  readonly #jitter: number;
  readonly #maxAttempts: number | undefined;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 500;
    this.#maxMs = options.maxMs ?? 30_000;
    this.#factor = options.factor ?? 2;
    this.#jitter = Math.min(1, Math.max(0, options.jitter ?? 0.2));
    this.#maxAttempts = options.maxAttempts;
    this.#random = options.random ?? Math.random;
  }

  /** Attempts made since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt, or undefined when the attempt limit is reached. */
  next(): number | undefined {
    if (this.#maxAttempts !== undefined && this.#attempt >= this.#maxAttempts) return undefined;
    const base = Math.min(this.#maxMs, this.#initialMs * this.#factor ** this.#attempt);
    this.#attempt += 1;
    const spread = base * this.#jitter;
    return Math.round(base - spread + this.#random() * spread);
  }

  /** Call after a success, so the next failure starts from the first delay again. */
  reset(): void {
    this.#attempt = 0;
  }
}

/**
 * One pending retry at a time, delayed by a backoff: what every connector does after losing its endpoint. Scheduling
 * while a retry is already pending changes nothing, so a burst of error callbacks leads to one reconnect.
 */
export class RetryTimer {
  readonly #backoff: Backoff;
  readonly #fallbackMs: number;
  #timer: NodeJS.Timeout | undefined;

  /** `fallbackMs` is the delay once the backoff has no more attempts to give (it keeps retrying at that pace). */
  constructor(backoff: Backoff, fallbackMs = 30_000) {
    this.#backoff = backoff;
    this.#fallbackMs = fallbackMs;
  }

  /** Runs `action` after the next backoff delay, unless a retry is already pending. */
  schedule(action: () => void): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      action();
    }, this.#backoff.next() ?? this.#fallbackMs);
  }

  /** A connection succeeded: the next failure starts from the shortest delay again. */
  succeeded(): void {
    this.#backoff.reset();
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  get pending(): boolean {
    return this.#timer !== undefined;
  }
}
