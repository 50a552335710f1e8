/**
 * Anomaly benchmark (issue: intelligence): samples/s through the streaming anomaly detector, one detector per signal,
 * 1,000 signals fed interleaved (sample t of every signal, then sample t+1) as the engine sees a plant's historian.
 * Beside it, the same million samples through one detector per signal fed signal after signal (cache-friendly), so
 * the cost of interleaving shows. The series are seeded (daily wave, noise, an occasional spike, a level shift), so
 * every run sees the same data.
 */
import { performance } from 'node:perf_hooks';
import { createDetector, type AnomalyDetector } from '../src/engines/anomaly/detector.js';
import { printTable, type Figure } from './stats.js';

export interface AnomalyBenchOptions {
  /** Signals, each with its own detector (default 1,000). */
  signals?: number;
  /** Samples per signal (default 1,000: a million samples in all). */
  samplesPerSignal?: number;
  /** Measured rounds; the median is reported (default 3). */
  rounds?: number;
}

const FIVE_MINUTES = 300_000;
const START = Date.UTC(2024, 0, 1);

/** Seeded values: signal s, sample t at values[t * signals + s]. */
function makeValues(signals: number, samples: number): Float64Array {
  let state = 12345;
  const uniform = (): number => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4294967296;
  };
  const values = new Float64Array(signals * samples);
  for (let s = 0; s < signals; s++) {
    const base = 10 + 90 * uniform();
    const amplitude = base * 0.3 * uniform();
    const shiftAt = Math.floor(samples * (0.5 + 0.4 * uniform()));
    for (let t = 0; t < samples; t++) {
      const wave = amplitude * Math.sin((2 * Math.PI * t) / 288);
      const spike = uniform() < 0.001 ? base : 0;
      const shift = t >= shiftAt ? base * 0.2 : 0;
      values[t * signals + s] = base + wave + spike + shift + (uniform() - 0.5) * base * 0.05;
    }
  }
  return values;
}

function detectorRound(values: Float64Array, signals: number, samples: number, interleaved: boolean): number {
  const detectors: AnomalyDetector[] = Array.from({ length: signals }, () => createDetector());
  let alarms = 0;
  const started = performance.now();
  if (interleaved) {
    for (let t = 0; t < samples; t++) {
      const ts = START + t * FIVE_MINUTES;
      const row = t * signals;
      for (let s = 0; s < signals; s++) if (detectors[s]!.update(ts, values[row + s]!).score >= 0.45) alarms++;
    }
  } else {
    for (let s = 0; s < signals; s++) {
      const detector = detectors[s]!;
      for (let t = 0; t < samples; t++) if (detector.update(START + t * FIVE_MINUTES, values[t * signals + s]!).score >= 0.45) alarms++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (alarms < 0) throw new Error('unreachable: keeps the loop from being optimised away');
  return (signals * samples) / seconds;
}

const median = (rates: number[]): number => [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;

/** Measures and prints samples/s of the anomaly detector on one core (this process, no workers). */
export async function runAnomalyBench(options: AnomalyBenchOptions = {}): Promise<Figure[]> {
  const signals = options.signals ?? 1000;
  const samples = options.samplesPerSignal ?? 1000;
  const rounds = Math.max(1, options.rounds ?? 3);
  const values = makeValues(signals, samples);
  detectorRound(values, signals, Math.min(samples, 200), true); // warm the JIT before measuring
  const interleaved: number[] = [];
  const sequential: number[] = [];
  for (let round = 0; round < rounds; round++) {
    interleaved.push(detectorRound(values, signals, samples, true));
    sequential.push(detectorRound(values, signals, samples, false));
  }
  const note = `${signals} signals, ${samples} samples each, one core, median of ${rounds}`;
  const figures: Figure[] = [
    { name: 'anomaly detector, interleaved', rate: median(interleaved), unit: 'samples/s', note },
    { name: 'anomaly detector, signal by signal', rate: median(sequential), unit: 'samples/s', note },
  ];
  printTable('Anomaly detection', figures);
  return figures;
}
