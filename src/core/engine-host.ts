/**
 * Runs engines over the event log. Each engine reads from its own durable checkpoint, so it resumes after a restart
 * where it stopped; each runs in its own loop, so a slow or failing engine never holds up the others; a handler that
 * throws is dead-lettered with the engine id and the event, and the engine moves on.
 */
import type { CanonicalEvent, StoredEvent } from './event.js';
import type { EventBus } from './event-bus.js';
import { describeError } from './errors.js';
import { matchesSubscription, type DerivedEventInput, type EngineDefinition } from './engine.js';
import type { MetricsRegistry } from './metrics.js';
import { contentId } from './pipeline/event-id.js';
import type { AppendResult, CheckpointStore, DeadLetterStore, EventLog, Unsubscribe } from './store.js';

export interface EngineHostDeps {
  events: EventLog;
  checkpoints: CheckpointStore;
  deadLetters: DeadLetterStore;
  /** Where derived events go: the pipeline's trusted append, so they are persisted and published like any other. */
  appendDerived: (events: readonly CanonicalEvent[]) => Promise<AppendResult>;
  bus: EventBus;
  metrics?: MetricsRegistry;
  /** Events read per step. */
  batchSize?: number;
  /** How often an idle engine looks at the log even without a bus wake-up (writes from another process). */
  pollMs?: number;
  /** Where failures of the host itself (not of handlers) are reported. */
  onError?: (error: unknown, engineId: string) => void;
}

export interface EngineRegistration {
  /** Each definition's own config and state types were checked where it was declared; the host treats all alike. */
  definition: EngineDefinition<unknown, unknown>;
  config?: unknown;
}

export interface EngineRunStatus {
  id: string;
  checkpoint: number;
  lag: number;
  failures: number;
}

type RunnerDeps = Required<Pick<EngineHostDeps, 'batchSize' | 'pollMs' | 'onError'>> & EngineHostDeps;

const CHECKPOINT_PREFIX = 'engine:';
const encoder = new TextEncoder();

class EngineRunner {
  readonly #definition: EngineRegistration['definition'];
  readonly #config: unknown;
  readonly #deps: RunnerDeps;
  #state: unknown;
  #position = 0;
  #failures = 0;
  #stopped = false;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(registration: EngineRegistration, deps: RunnerDeps) {
    this.#definition = registration.definition;
    this.#config = registration.config;
    this.#deps = deps;
  }

  get id(): string {
    return this.#definition.id;
  }

  get position(): number {
    return this.#position;
  }

  get failures(): number {
    return this.#failures;
  }

  async start(): Promise<void> {
    this.#position = await this.#deps.checkpoints.getCheckpoint(CHECKPOINT_PREFIX + this.id);
    this.#state = this.#definition.createState?.(this.#config);
    if (this.#definition.createState !== undefined && this.#position > 0) await this.#rebuild();
    this.#loop = this.#run();
  }

  wake(): void {
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.wake();
    await this.#loop;
  }

  /** Replays history up to the checkpoint to rebuild in-memory state; emits are dropped, they were made before. */
  async #rebuild(): Promise<void> {
    let position = 0;
    while (position < this.#position) {
      const batch = await this.#deps.events.readFrom(position, Math.min(this.#deps.batchSize, this.#position - position));
      if (batch.length === 0) break;
      for (const event of batch) {
        if (!matchesSubscription(this.#definition.subscribes, event.type)) continue;
        try {
          await this.#definition.handle(event, { config: this.#config, state: this.#state, replaying: true, emit: () => undefined });
        } catch {
          // This event was dead-lettered when it first failed; during a rebuild it is only counted, not recorded twice.
          this.#deps.metrics?.inc('pf_engine_rebuild_failures_total', 'Handler failures while rebuilding engine state.', 1, { engine: this.id });
        }
      }
      position = batch[batch.length - 1]!.position;
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        const batch = await this.#deps.events.readFrom(this.#position, this.#deps.batchSize);
        if (batch.length === 0) {
          await this.#idle();
          continue;
        }
        await this.#process(batch);
      } catch (error) {
        this.#deps.onError(error, this.id);
        await this.#idle();
      }
    }
  }

  async #process(batch: readonly StoredEvent[]): Promise<void> {
    const derived: CanonicalEvent[] = [];
    for (const event of batch) {
      if (!matchesSubscription(this.#definition.subscribes, event.type)) continue;
      const emitted: DerivedEventInput[] = [];
      try {
        await this.#definition.handle(event, {
          config: this.#config,
          state: this.#state,
          replaying: false,
          emit: (output) => emitted.push(output),
        });
      } catch (error) {
        await this.#deadLetter(event, error);
        continue;
      }
      emitted.forEach((output, index) => derived.push(this.#toEvent(event, output, index)));
    }
    // Derived ids come from (engine, input event, index): if we crash after this append but before the checkpoint,
    // the re-run appends the same ids, which the log ignores, so nothing is emitted twice.
    if (derived.length > 0) await this.#deps.appendDerived(derived);
    const last = batch[batch.length - 1]!.position;
    await this.#deps.checkpoints.setCheckpoint(CHECKPOINT_PREFIX + this.id, last);
    this.#position = last;
  }

  #toEvent(input: StoredEvent, output: DerivedEventInput, index: number): CanonicalEvent {
    return {
      id: contentId('dv', { engine: this.id, input: input.id, index }),
      type: output.type,
      occurredAt: output.occurredAt,
      // The input's receive time, not the wall clock, so a replay produces byte-identical derived events.
      receivedAt: input.receivedAt,
      source: { system: 'plantfabric', connector: this.id, address: input.id },
      subject: output.subject ?? {},
      data: output.data ?? {},
      quality: output.quality ?? 'good',
    };
  }

  async #deadLetter(event: StoredEvent, error: unknown): Promise<void> {
    this.#failures += 1;
    this.#deps.metrics?.inc('pf_engine_failures_total', 'Events an engine failed to handle.', 1, { engine: this.id });
    await this.#deps.deadLetters.add({
      stage: 'engine',
      code: 'PF_ERR_ENGINE_HANDLER',
      message: `engine ${this.id} failed on event ${event.id}: ${describeError(error)}`,
      raw: encoder.encode(JSON.stringify(event)),
      contentType: 'application/json',
      source: event.source,
      engineId: this.id,
      eventId: event.id,
      details: { position: event.position, type: event.type, stack: error instanceof Error ? error.stack : undefined },
    });
  }

  #idle(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.#deps.pollMs);
      this.#wake = done;
    });
  }
}

export class EngineHost {
  readonly #runners: EngineRunner[];
  readonly #deps: EngineHostDeps;
  #unsubscribe: Unsubscribe | undefined;

  constructor(deps: EngineHostDeps, registrations: readonly EngineRegistration[]) {
    const ids = new Set<string>();
    for (const { definition } of registrations) {
      if (ids.has(definition.id)) throw new Error(`two engines share the id '${definition.id}'`);
      ids.add(definition.id);
    }
    this.#deps = deps;
    const runnerDeps = {
      batchSize: 500,
      pollMs: 1000,
      onError: (error: unknown, engineId: string) => console.error(`engine ${engineId}: ${describeError(error)}`),
      ...deps,
    };
    this.#runners = registrations.map((registration) => new EngineRunner(registration, runnerDeps));
  }

  /** Loads checkpoints, rebuilds state, and starts every engine's loop. */
  async start(): Promise<void> {
    this.#unsubscribe = this.#deps.bus.subscribe(() => {
      for (const runner of this.#runners) runner.wake();
    });
    await Promise.all(this.#runners.map((runner) => runner.start()));
  }

  /** Lets each engine finish its current step, then stops. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await Promise.all(this.#runners.map((runner) => runner.stop()));
  }

  async status(): Promise<EngineRunStatus[]> {
    const head = await this.#deps.events.head();
    return this.#runners.map((runner) => ({ id: runner.id, checkpoint: runner.position, lag: head - runner.position, failures: runner.failures }));
  }

  /** Resolves once every engine has processed the log up to its current head (for tests and orderly shutdown). */
  async waitForIdle(pollMs = 5): Promise<void> {
    for (;;) {
      const head = await this.#deps.events.head();
      if (this.#runners.every((runner) => runner.position >= head)) return;
      for (const runner of this.#runners) runner.wake();
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}
