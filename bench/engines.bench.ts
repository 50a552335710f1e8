/**
 * Engines benchmark (issue: intelligence): samples/s through the anomaly ENGINE and events/s through the OEE engine,
 * 1,000 signals or machines each, in this process on one core, without a store.
 * - Anomaly: the sample engine host with the anomaly engine (one detector per series), fed batches of samples as the
 *   pipeline's sample tap hands them over (one sample of every signal per batch), with a no-op appendDerived. So the
 *   figure is the host's per-sample bookkeeping plus the engine plus the detector. Aim: 200,000 samples/s per core.
 * - OEE: the OEE engine's handle() fed 1,000 machines' state changes and counts directly, with its state, over
 *   75 plant minutes that cross a shift end (so the shift is closed and computed for every machine, line and area).
 * Seeded data, so every run sees the same series and events.
 */
import { performance } from 'node:perf_hooks';
import type { DerivedEventInput } from '../src/core/engine.js';
import type { Sample, StoredEvent } from '../src/core/event.js';
import { SampleEngineHost, type SampleEngineRegistration } from '../src/core/sample-engine-host.js';
import type { Historian } from '../src/core/store.js';
import { anomalyConfigOf } from '../src/engines/anomaly/anomaly-engine-config.js';
import { anomalyEngine } from '../src/engines/anomaly/anomaly-engine.js';
import type { OeeEngineConfig } from '../src/engines/oee/oee-config.js';
import { oeeEngine } from '../src/engines/oee/oee-engine.js';
import { printTable, type Figure } from './stats.js';

/** Samples/s per core the anomaly detection must reach (the acceptance aim). */
export const ANOMALY_AIM = 200_000;

export interface EnginesBenchOptions {
  /** Signals through the anomaly engine and machines through the OEE engine (default 1,000). */
  signals?: number;
  /** Samples per signal (default 600). */
  samplesPerSignal?: number;
  /** Measured rounds; the median is reported (default 3). */
  rounds?: number;
}

const START = Date.UTC(2026, 0, 5, 12);
/** The OEE workload's plant time: 75 minutes from 13:15 UTC, across the 14:00 shift end and its 5-minute grace. */
const OEE_START = Date.UTC(2026, 0, 5, 13, 15);
const OEE_MINUTES = 75;
const FIVE_MINUTES = 300_000;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
}

/** Batches of one sample per signal, in time order: a daily wave, noise, an occasional spike and a level shift. */
function makeBatches(signals: number, samples: number): Sample[][] {
  const uniform = seeded(12_345);
  const series = Array.from({ length: signals }, (_, index) => {
    const base = 10 + 90 * uniform();
    return { equipment: `acme/plant-1/bench/machine-${index}`, base, amplitude: base * 0.3 * uniform(), shiftAt: Math.floor(samples * (0.5 + 0.4 * uniform())) };
  });
  return Array.from({ length: samples }, (_, t) =>
    series.map(({ equipment, base, amplitude, shiftAt }) => ({
      equipment,
      signal: 'value',
      ts: START + t * FIVE_MINUTES,
      value: base + amplitude * Math.sin((2 * Math.PI * t) / 288) + (uniform() < 0.001 ? base : 0) + (t >= shiftAt ? base * 0.2 : 0) + (uniform() - 0.5) * base * 0.05,
    })),
  );
}

/** A historian with nothing in it: the host's warm-up finds no history, as on a fresh plant. */
const emptyHistorian: Historian = {
  write: async (samples) => ({ written: samples.length, duplicates: 0 }),
  range: async () => [],
  aggregate: async () => [],
  series: async () => [],
  deleteBefore: async () => 0,
};

async function anomalyRound(batches: readonly Sample[][]): Promise<{ rate: number; derived: number }> {
  let listener: ((samples: readonly Sample[]) => void) | undefined;
  let derived = 0;
  const registration: SampleEngineRegistration = {
    definition: anomalyEngine as SampleEngineRegistration['definition'],
    config: anomalyConfigOf({ signals: [{ equipment: 'acme/plant-1/bench/*', signal: '*' }] }),
  };
  const host = new SampleEngineHost(
    {
      historian: emptyHistorian,
      appendDerived: async (events) => {
        derived += events.length;
        return { appended: [], duplicates: [] };
      },
      onSamples: (next) => {
        listener = next;
        return () => {
          listener = undefined;
        };
      },
      now: () => START,
    },
    [registration],
  );
  await host.start();
  const feed = listener;
  if (feed === undefined) throw new Error('the host did not subscribe to samples');
  const started = performance.now();
  for (const batch of batches) feed(batch);
  const seconds = (performance.now() - started) / 1000;
  await host.stop();
  const samples = batches.reduce((sum, batch) => sum + batch.length, 0);
  return { rate: samples / seconds, derived };
}

/** 1,000 machines in lines of ten and areas of ten lines, three shifts, and their events over OEE_MINUTES of plant time. */
function oeeWorkload(machines: number): { config: OeeEngineConfig; events: StoredEvent[] } {
  const units = Array.from({ length: machines }, (_, index) => {
    const line = `acme/plant-1/area-${Math.floor(index / 100)}/line-${Math.floor(index / 10)}`;
    return { equipment: `${line}/machine-${index}`, line, area: line.split('/').slice(0, 3).join('/'), idealCycleSeconds: 50 };
  });
  const config: OeeEngineConfig = {
    timezone: 'UTC',
    shifts: [{ id: 'early', start: '06:00', end: '14:00' }, { id: 'late', start: '14:00', end: '22:00' }, { id: 'night', start: '22:00', end: '06:00' }],
    units,
    microStopSeconds: 120,
    plannedReasons: [],
    setupReasons: [],
    graceMinutes: 5,
    rollingMinutes: 60,
  };
  const uniform = seeded(777);
  const events: StoredEvent[] = [];
  let position = 0;
  const push = (type: string, at: number, equipment: string, data: Record<string, unknown>): void => {
    position += 1;
    const occurredAt = new Date(at).toISOString();
    events.push({ id: `bench-${position}`, type, occurredAt, receivedAt: occurredAt, source: { system: 'bench' }, subject: { equipment }, data, quality: 'good', position });
  };
  const offsets = units.map(() => Math.floor(uniform() * 60_000));
  const running = units.map(() => true);
  for (let minute = 0; minute < OEE_MINUTES; minute += 1) {
    units.forEach((unit, index) => {
      const at = OEE_START + minute * 60_000 + offsets[index]!;
      if (minute === 0) push('equipment.state.changed', at - 30_000, unit.equipment, { state: 'execute' });
      // A stop now and then (about one in 20 minutes), with its reason; the next minute the machine runs again.
      if (running[index] && uniform() < 0.05) {
        running[index] = false;
        push('equipment.state.changed', at, unit.equipment, { state: 'stopped', previousState: 'execute', reason: 'jam' });
        push('downtime.reason.recorded', at + 1000, unit.equipment, { reason: 'jam' });
      } else if (!running[index]) {
        running[index] = true;
        push('equipment.state.changed', at, unit.equipment, { state: 'execute', previousState: 'stopped' });
      } else {
        push('production.count.recorded', at, unit.equipment, { good: 1, scrap: uniform() < 0.01 ? 1 : 0 });
      }
    });
  }
  return { config, events };
}

async function oeeRound(config: OeeEngineConfig, events: readonly StoredEvent[]): Promise<{ rate: number; derived: number }> {
  const state = oeeEngine.createState!(config);
  let derived = 0;
  const context = { config, state, replaying: false, emit: (_event: DerivedEventInput) => void (derived += 1) };
  const started = performance.now();
  for (const event of events) await oeeEngine.handle(event, context);
  const seconds = (performance.now() - started) / 1000;
  return { rate: events.length / seconds, derived };
}

const median = (rates: number[]): number => [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;

/** Measures and prints samples/s through the anomaly engine and events/s through the OEE engine, on one core. */
export async function runEnginesBench(options: EnginesBenchOptions = {}): Promise<Figure[]> {
  const signals = options.signals ?? 1000;
  const samples = options.samplesPerSignal ?? 600;
  const rounds = Math.max(1, options.rounds ?? 3);
  const batches = makeBatches(signals, samples);
  await anomalyRound(batches.slice(0, Math.min(samples, 200))); // warm the JIT before measuring
  const anomaly: number[] = [];
  let alarms = 0;
  for (let round = 0; round < rounds; round += 1) {
    const result = await anomalyRound(batches);
    anomaly.push(result.rate);
    alarms = result.derived;
  }
  const { config, events } = oeeWorkload(signals);
  await oeeRound(config, events.slice(0, Math.min(events.length, 20_000)));
  const oee: number[] = [];
  let intervals = 0;
  for (let round = 0; round < rounds; round += 1) {
    const result = await oeeRound(config, events);
    oee.push(result.rate);
    intervals = result.derived;
  }
  const anomalyRate = median(anomaly);
  const met = anomalyRate >= ANOMALY_AIM;
  const figures: Figure[] = [
    {
      name: 'anomaly engine (host + engine + detector)',
      rate: anomalyRate,
      unit: 'samples/s',
      note: `${signals} signals × ${samples} samples, ${alarms} anomaly.detected, one core, median of ${rounds}`,
    },
    { name: 'OEE engine handle()', rate: median(oee), unit: 'events/s', note: `${signals} machines, ${events.length} events over ${OEE_MINUTES} min across a shift end, ${intervals} oee.interval.computed, median of ${rounds}` },
  ];
  printTable('Engines', figures);
  console.log(`aim: at least ${ANOMALY_AIM.toLocaleString('en')} samples/s per core through anomaly detection — ${met ? 'met' : 'NOT met'} (${Math.round(anomalyRate).toLocaleString('en')} samples/s)`);
  return figures;
}
