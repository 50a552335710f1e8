/**
 * The demo plant's only source of randomness: a seeded sfc32 generator. Every component draws from its own stream,
 * derived from the run's seed and the component's id, so adding a machine never changes another machine's dice and
 * two runs with the same seed produce the same plant, step for step.
 */
import { createHash } from 'node:crypto';

/** A seed as written in sim.yaml or on the command line. */
export type Seed = string | number;

/** Four 32-bit words of state from SHA-256 of the text: well mixed even for seeds like 1, 2, 3. */
function stateFrom(text: string): [number, number, number, number] {
  const digest = createHash('sha256').update(text, 'utf8').digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
}

/** A deterministic random stream (sfc32: small, fast, passes PractRand to 2^40 and more). */
export class Random {
  readonly #seed: Seed;
  readonly #path: readonly string[];
  readonly #name: string;
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** A stream named by the seed and a path of ids, e.g. `new Random(42, 'machine', 'press-1')`. */
  constructor(seed: Seed, ...path: string[]) {
    this.#seed = seed;
    this.#path = path;
    this.#name = [String(seed), ...path].join('/');
    [this.#a, this.#b, this.#c, this.#d] = stateFrom(this.#name);
    // Warm-up: the first outputs of a freshly seeded sfc32 are correlated with the seed words.
    for (let index = 0; index < 12; index += 1) this.next();
  }

  /** The stream's full name (seed and path), for messages. */
  get name(): string {
    return this.#name;
  }

  /** An independent stream for a part of this component (`rng.derive('faults')`). */
  derive(...path: string[]): Random {
    return new Random(this.#seed, ...this.#path, ...path);
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /**
   * Normally distributed (Box–Muller). Only one of the pair is used: caching the other would make a stream's state
   * depend on how many normals were drawn before, which is harder to reason about than one extra draw.
   */
  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.next(); // (0, 1]: log(0) is -Infinity
    const u2 = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Exponentially distributed with the given mean (waiting times between random events). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /**
   * One element of a non-empty list.
   * @throws RangeError for an empty list
   */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError(`${this.#name}: choice from an empty list`);
    return items[Math.floor(this.next() * items.length)]!;
  }
}
