/**
 * Runs sample engines. At start each engine's state is rebuilt by replaying the last `warmupMs` of its series from the
 * historian (emits dropped); then it follows samples as the pipeline writes them. Per series, a sample older than the
 * last one handled is skipped (the historian keeps it, the engine's view stays in time order). Derived events get ids
 * from (engine, series, sample time, index), so a re-run after a crash emits nothing twice.
 */
import type { DerivedEventInput } from './engine.js';
import { describeError } from './errors.js';
import type { CanonicalEvent, Sample } from './event.js';
import type { MetricsRegistry } from './metrics.js';
import { contentId } from './pipeline/event-id.js';
import type { SampleEngineDefinition } from './sample-engine.js';
import type { AppendResult, Historian, Unsubscribe } from './store.js';

export interface SampleEngineRegistration {
  definition: SampleEngineDefinition<unknown, unknown>;
  config: unknown;
}

export interface SampleEngineHostDeps {
  historian: Historian;
  appendDerived: (events: readonly CanonicalEvent[]) => Promise<AppendResult>;
  /** Live samples as written to the historian (the pipeline's tap). */
  onSamples: (listener: (samples: readonly Sample[]) => void) => Unsubscribe;
  /** Plant time, to know what "the last warmupMs" is at start. */
  now: () => number;
  /** History replayed at start to rebuild state. Default 24 h. */
  warmupMs?: number;
  metrics?: MetricsRegistry;
  onError?: (error: unknown, engineId: string) => void;
}

const SERIES_PAGE = 50_000;

class SampleEngineRunner {
  readonly #definition: SampleEngineDefinition<unknown, unknown>;
  readonly #config: unknown;
  readonly #state: unknown;
  /** Last sample time handled per series key. */
  readonly #last = new Map<string, number>();
  readonly #accepted = new Map<string, boolean>();
  handled = 0;
  failures = 0;

  constructor(registration: SampleEngineRegistration) {
    this.#definition = registration.definition;
    this.#config = registration.config;
    this.#state = registration.definition.createState(registration.config);
  }

  get id(): string {
    return this.#definition.id;
  }

  accepts(sample: { equipment: string; signal: string }): boolean {
    const key = `${sample.equipment}\u0000${sample.signal}`;
    let accepted = this.#accepted.get(key);
    if (accepted === undefined) {
      accepted = this.#definition.accepts({ equipment: sample.equipment, signal: sample.signal }, this.#config);
      this.#accepted.set(key, accepted);
    }
    return accepted;
  }

  /** Handles samples of any series in the order given; returns the derived events (none while replaying). */
  run(samples: readonly Sample[], replaying: boolean, onError: (error: unknown) => void): CanonicalEvent[] {
    const derived: CanonicalEvent[] = [];
    for (const sample of samples) {
      if (!this.accepts(sample)) continue;
      const key = `${sample.equipment}\u0000${sample.signal}`;
      const last = this.#last.get(key);
      if (last !== undefined && sample.ts <= last) continue;
      this.#last.set(key, sample.ts);
      const emitted: DerivedEventInput[] = [];
      try {
        this.#definition.handle(sample, { config: this.#config, state: this.#state, replaying, emit: (event) => emitted.push(event) });
        this.handled += 1;
      } catch (error) {
        this.failures += 1;
        onError(error);
        continue;
      }
      if (replaying) continue;
      emitted.forEach((output, index) => derived.push(this.#toEvent(sample, output, index)));
    }
    return derived;
  }

  #toEvent(sample: Sample, output: DerivedEventInput, index: number): CanonicalEvent {
    const at = new Date(sample.ts).toISOString();
    return {
      id: contentId('dv', { engine: this.id, equipment: sample.equipment, signal: sample.signal, ts: sample.ts, index }),
      type: output.type,
      occurredAt: output.occurredAt,
      // The sample's time, not the wall clock, so a replay produces byte-identical derived events.
      receivedAt: at,
      source: { system: 'plantfabric', connector: this.id, address: `${sample.equipment}#${sample.signal}@${at}` },
      subject: output.subject ?? { equipment: sample.equipment },
      data: output.data ?? {},
      quality: output.quality ?? 'good',
    };
  }
}

export class SampleEngineHost {
  readonly #deps: SampleEngineHostDeps;
  readonly #runners: SampleEngineRunner[];
  #unsubscribe: Unsubscribe | undefined;
  #appending: Promise<unknown> = Promise.resolve();

  constructor(deps: SampleEngineHostDeps, registrations: readonly SampleEngineRegistration[]) {
    const ids = new Set<string>();
    for (const { definition } of registrations) {
      if (ids.has(definition.id)) throw new Error(`two sample engines share the id '${definition.id}'`);
      ids.add(definition.id);
    }
    this.#deps = deps;
    this.#runners = registrations.map((registration) => new SampleEngineRunner(registration));
  }

  /** Rebuilds state from recent history, then follows live samples (those that arrive meanwhile wait their turn). */
  async start(): Promise<void> {
    if (this.#runners.length === 0) return;
    const pending: Sample[][] = [];
    let live = false;
    this.#unsubscribe = this.#deps.onSamples((samples) => {
      if (live) this.#process(samples, false);
      else pending.push([...samples]);
    });
    await this.#warmUp();
    live = true;
    for (const batch of pending) this.#process(batch, false);
  }

  /** Stops following samples and waits for derived events in flight to be appended. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#appending;
  }

  /** Resolves once every derived event emitted so far is in the log (tests, orderly shutdown). */
  async idle(): Promise<void> {
    await this.#appending;
  }

  status(): Array<{ id: string; handled: number; failures: number }> {
    return this.#runners.map((runner) => ({ id: runner.id, handled: runner.handled, failures: runner.failures }));
  }

  async #warmUp(): Promise<void> {
    const now = this.#deps.now();
    const from = now - (this.#deps.warmupMs ?? 86_400_000);
    const series = (await this.#deps.historian.series()).filter((entry) => entry.last >= from && this.#runners.some((runner) => runner.accepts(entry)));
    for (const entry of series) {
      let after = from;
      for (;;) {
        const points = await this.#deps.historian.range({ equipment: entry.equipment, signal: entry.signal, from: after, to: now + 1, limit: SERIES_PAGE });
        const samples: Sample[] = points.map((point) => ({ equipment: entry.equipment, signal: entry.signal, ts: point.ts, value: point.value, quality: point.quality }));
        this.#process(samples, true);
        if (points.length < SERIES_PAGE) break;
        after = points[points.length - 1]!.ts + 1;
      }
    }
  }

  #process(samples: readonly Sample[], replaying: boolean): void {
    const derived: CanonicalEvent[] = [];
    for (const runner of this.#runners) {
      derived.push(
        ...runner.run(samples, replaying, (error) => {
          this.#deps.metrics?.inc('pf_engine_failures_total', 'Events an engine failed to handle.', 1, { engine: runner.id });
          (this.#deps.onError ?? ((failure, id) => console.error(`sample engine ${id}: ${describeError(failure)}`)))(error, runner.id);
        }),
      );
    }
    if (derived.length === 0) return;
    // Chained, so derived events reach the log in the order they were made.
    this.#appending = this.#appending.then(() =>
      this.#deps.appendDerived(derived).catch((error: unknown) => console.error(`sample engines: could not append derived events: ${describeError(error)}`)),
    );
  }
}
