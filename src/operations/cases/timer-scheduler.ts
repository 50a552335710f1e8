/**
 * One loop for every durable timer this module owns (holds, SLA deadlines, escalation tiers, verification windows,
 * shift changes): it fires what is due, then sleeps on the plant Clock until the next timer, and is woken early when
 * a commit sets a new one. Timers live in the operations store, so whatever fell due while the process was down
 * fires at start. A handler's own commit clears its timer; a handler that fails has its timer moved a little later
 * and is reported, so one bad timer never spins the loop.
 */
import type { Clock, ClockTimer } from '../../core/clock.js';
import type { DurableTimer, OperationsStore } from '../../core/operations-store.js';

export type TimerHandler = (timer: DurableTimer) => Promise<void>;

export interface TimerSchedulerDeps {
  store: OperationsStore;
  clock: Clock;
  /** By timer kind; timers of other kinds belong to someone else and are left alone. */
  handlers: ReadonlyMap<string, TimerHandler>;
  onError(error: unknown, timer?: DurableTimer): void;
  /** Plant ms a failed timer is postponed by. Default 30 s. */
  retryMs?: number;
  /** Real ms between looks when the earliest timer is someone else's and already due. Default 1000. */
  foreignPollMs?: number;
}

const BATCH = 200;

export class TimerScheduler {
  readonly #deps: TimerSchedulerDeps;
  #stopped = true;
  #dirty = false;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(deps: TimerSchedulerDeps) {
    this.#deps = deps;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#loop = this.#run();
  }

  /** Something set or cleared a timer: look again before sleeping. */
  wake(): void {
    this.#dirty = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        this.#dirty = false;
        const fired = await this.#fireDue();
        if (fired) continue;
        await this.#sleep(await this.#deps.store.nextTimer());
      } catch (error) {
        this.#deps.onError(error);
        await this.#sleep(undefined, this.#deps.foreignPollMs ?? 1000);
      }
    }
  }

  /** Fires every due timer of ours; true when some fired (there may be more). */
  async #fireDue(): Promise<boolean> {
    const now = this.#deps.clock.now();
    const due = (await this.#deps.store.dueTimers(now, BATCH)).filter((timer) => this.#deps.handlers.has(timer.kind));
    for (const timer of due) {
      if (this.#stopped) return false;
      try {
        await this.#deps.handlers.get(timer.kind)!(timer);
      } catch (error) {
        this.#deps.onError(error, timer);
        await this.#deps.store.commit({ timers: { set: [{ ...timer, dueAt: this.#deps.clock.now() + (this.#deps.retryMs ?? 30_000) }] } });
      }
    }
    return due.length > 0;
  }

  async #sleep(next: DurableTimer | undefined, realMs?: number): Promise<void> {
    if (this.#stopped || this.#dirty) return;
    await new Promise<void>((resolve) => {
      let clockTimer: ClockTimer | undefined;
      let realTimer: NodeJS.Timeout | undefined;
      const done = (): void => {
        clockTimer?.cancel();
        clearTimeout(realTimer);
        this.#wake = undefined;
        resolve();
      };
      this.#wake = done;
      const now = this.#deps.clock.now();
      if (realMs !== undefined || (next !== undefined && next.dueAt <= now && !this.#deps.handlers.has(next.kind))) {
        // Someone else's timer is due and waits for its owner: look again in a while, not at once.
        realTimer = setTimeout(done, realMs ?? this.#deps.foreignPollMs ?? 1000);
        realTimer.unref();
      } else if (next !== undefined) {
        clockTimer = this.#deps.clock.at(next.dueAt, done);
      }
      // No timer at all: sleep until woken.
    });
  }
}
