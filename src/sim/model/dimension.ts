/**
 * A critical dimension measured on every part (e.g. a bore diameter at a test stand). The cutting tool wears, so
 * the mean drifts by `driftPer10Parts` for every ten parts since the last tool change; a change at shift start (and,
 * optionally, after `toolLifeParts`) resets it. With the demo's numbers the mean moves one sigma in twenty parts, so
 * run and trend rules fire long before parts leave the tolerance.
 */
import type { DimensionConfig } from '../config.js';
import { Random, type Seed } from '../random.js';

/** One measured part. */
export interface Measurement {
  value: number;
  inSpec: boolean;
}

/** The measured dimension of one characteristic at one machine. */
export class DimensionModel {
  readonly config: DimensionConfig;
  readonly #rng: Random;
  #partsSinceToolChange = 0;
  #last: number | undefined;

  constructor(config: DimensionConfig, seed: Seed) {
    this.config = config;
    this.#rng = new Random(seed, 'dimension', config.machine, config.characteristic);
  }

  get partsSinceToolChange(): number {
    return this.#partsSinceToolChange;
  }

  /** The process mean for the next part. */
  mean(): number {
    return this.config.nominal + (this.config.driftPer10Parts * this.#partsSinceToolChange) / 10;
  }

  /** A fresh tool: the drift starts again from nominal. */
  toolChange(): void {
    this.#partsSinceToolChange = 0;
  }

  /** Measures the next part (mm to 4 decimals) and judges it against nominal ± tolerance. */
  measure(): Measurement {
    let value = Math.round(this.#rng.normal(this.mean(), this.config.sigma) * 10_000) / 10_000;
    // Two equal readings in a row would be one value to an OPC UA subscription (it reports changes), and a
    // measurement would be lost. The gauge's last digit flickers instead: one tenth of a micron, far below sigma.
    if (value === this.#last) value = Math.round((value + 0.0001) * 10_000) / 10_000;
    this.#last = value;
    this.#partsSinceToolChange += 1;
    if (this.config.toolLifeParts !== undefined && this.#partsSinceToolChange >= this.config.toolLifeParts) this.toolChange();
    // Compared in tenths of microns so 25.0500 against 25 ± 0.05 is not lost to binary fractions.
    const deviation = Math.abs(Math.round((value - this.config.nominal) * 10_000));
    return { value, inSpec: deviation <= Math.round(this.config.tolerance * 10_000) };
  }
}
