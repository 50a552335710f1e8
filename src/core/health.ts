/**
 * The health state machine every connector shows users: connecting, connected, degraded, disconnected, stopped,
 * with the time of the last change and the last error. Illegal transitions throw: they are bugs, not plant states.
 */

export const HEALTH_STATES = ['connecting', 'connected', 'degraded', 'disconnected', 'stopped'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export interface HealthError {
  message: string;
  code?: string;
  at: string;
}

export interface ConnectorHealth {
  state: HealthState;
  /** When the current state began (ISO 8601). */
  since: string;
  lastError?: HealthError;
  /** Connector-specific facts worth showing: endpoint, bindings, buffered count, ... */
  details?: Record<string, unknown>;
}

const TRANSITIONS: Record<HealthState, readonly HealthState[]> = {
  stopped: ['connecting'],
  connecting: ['connected', 'degraded', 'disconnected', 'stopped'],
  connected: ['connecting', 'degraded', 'disconnected', 'stopped'],
  degraded: ['connecting', 'connected', 'disconnected', 'stopped'],
  disconnected: ['connecting', 'connected', 'stopped'],
};

export type HealthListener = (health: ConnectorHealth, previous: HealthState) => void;

export class HealthTracker {
  readonly #now: () => number;
  readonly #listeners = new Set<HealthListener>();
  #health: ConnectorHealth;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#health = { state: 'stopped', since: new Date(now()).toISOString() };
  }

  get(): ConnectorHealth {
    return { ...this.#health };
  }

  get state(): HealthState {
    return this.#health.state;
  }

  /**
   * Moves to `state`, recording `error` as the last error when given. Staying in the same state only updates the
   * error and details (a degraded connector that hits a second problem is still degraded since the first).
   */
  set(state: HealthState, error?: { message: string; code?: string }): void {
    const previous = this.#health.state;
    if (state !== previous && !TRANSITIONS[previous].includes(state)) {
      throw new Error(`illegal connector health transition ${previous} → ${state}`);
    }
    const at = new Date(this.#now()).toISOString();
    this.#health = {
      ...this.#health,
      state,
      since: state === previous ? this.#health.since : at,
      ...(error === undefined ? {} : { lastError: { ...error, at } }),
    };
    if (state !== previous) for (const listener of this.#listeners) listener(this.get(), previous);
  }

  setDetails(details: Record<string, unknown>): void {
    this.#health = { ...this.#health, details: { ...this.#health.details, ...details } };
  }

  onChange(listener: HealthListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
