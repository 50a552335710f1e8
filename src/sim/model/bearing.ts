/**
 * A spindle bearing wearing out: its vibration velocity RMS grows exponentially over its life (the usual shape of
 * rolling-element bearing degradation once a defect has started), from `initialRms` when new to `failureRms` after
 * `lifeDays`. Readings carry load-dependent spread and measurement noise; with the spindle stopped only background
 * vibration remains. The failure time follows from the noise-free trend, so it is exact and reproducible.
 */
import type { BearingConfig } from '../config.js';
import { Random, type Seed } from '../random.js';

/** One simulated day in ms. */
export const DAY_MS = 86_400_000;

/** The wear of one spindle bearing and its vibration readings. */
export class BearingModel {
  readonly #config: BearingConfig;
  readonly #rng: Random;
  /** Growth rate per day: initial × e^(rate × lifeDays) = failure. */
  readonly #rate: number;
  /** When the bearing now fitted was new (simulated epoch ms). */
  #installedAt: number;

  constructor(config: BearingConfig, seed: Seed, start: number) {
    this.#config = config;
    this.#rng = new Random(seed, 'bearing', config.machine);
    this.#rate = Math.log(config.failureRms / config.initialRms) / config.lifeDays;
    this.#installedAt = start - config.startDay * DAY_MS;
  }

  /** Days of life used at `t`. */
  ageDays(t: number): number {
    return Math.max(0, (t - this.#installedAt) / DAY_MS);
  }

  /** The noise-free RMS at full load. */
  trend(t: number): number {
    return this.#config.initialRms * Math.exp(this.#rate * this.ageDays(t));
  }

  /** When the trend reaches the failure threshold. */
  failsAt(): number {
    return this.#installedAt + this.#config.lifeDays * DAY_MS;
  }

  /** One reading, mm/s to 3 decimals: cutting (`running`) shows the bearing's condition, idle only background. */
  sample(t: number, running: boolean): number {
    const base = running ? this.trend(t) * this.#rng.uniform(0.9, 1.1) : this.#config.idleRms;
    const value = base * (1 + this.#rng.normal(0, this.#config.noise));
    return Math.round(Math.max(0, value) * 1000) / 1000;
  }

  /** A new bearing, fitted at `at` (the end of the repair). */
  replace(at: number): void {
    this.#installedAt = at;
  }
}
