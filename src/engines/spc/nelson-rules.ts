/**
 * Pure: the eight Western Electric / Nelson run rules (L. S. Nelson, "The Shewhart Control Chart — Tests for Special
 * Causes", Journal of Quality Technology 16(4), 1984), detected streaming: each new point is judged with the last
 * fifteen at most, so memory and time per point are bounded. A rule reports a violation once per episode, with the
 * exact points that make the pattern.
 *
 * An episode is a maximal run of consecutive points on which the rule's condition holds, on the same side (above or
 * below the centre line; increasing or decreasing for rule 3). It starts at the first point where the condition holds
 * and ends at the first point where it does not; nine points above the centre line followed by a tenth and an
 * eleventh above are one episode of rule 2, not three. A point on the other side starts a new episode.
 */
import { SPC_RULE_NUMBERS, type SpcRuleNumber } from '../../core/spc-config.js';

export type RuleNumber = SpcRuleNumber;
export const RULE_NUMBERS: readonly RuleNumber[] = SPC_RULE_NUMBERS;

export interface RuleInfo {
  number: RuleNumber;
  /** Stable kebab-case id. */
  id: string;
  /** What the pattern is, in words. */
  name: string;
  /** How many consecutive points the rule looks at. */
  window: number;
}

export const RULES: Readonly<Record<RuleNumber, RuleInfo>> = {
  1: { number: 1, id: 'beyond-limits', name: 'one point beyond the 3σ control limits', window: 1 },
  2: { number: 2, id: 'nine-on-one-side', name: 'nine points in a row on one side of the centre line', window: 9 },
  3: { number: 3, id: 'six-trending', name: 'six points in a row steadily increasing or decreasing', window: 6 },
  4: { number: 4, id: 'fourteen-alternating', name: 'fourteen points in a row alternating up and down', window: 14 },
  5: { number: 5, id: 'two-of-three-beyond-2-sigma', name: 'two of three points in a row beyond 2σ on the same side', window: 3 },
  6: { number: 6, id: 'four-of-five-beyond-1-sigma', name: 'four of five points in a row beyond 1σ on the same side', window: 5 },
  7: { number: 7, id: 'fifteen-within-1-sigma', name: 'fifteen points in a row within 1σ of the centre line', window: 15 },
  8: { number: 8, id: 'eight-beyond-1-sigma', name: 'eight points in a row beyond 1σ, on either side', window: 8 },
};

/** The longest window any rule needs: what a monitor keeps. */
const MEMORY = 15;

/** Where a pattern lies: above or below the centre line, or the direction of a trend. */
export type RuleSide = 'above' | 'below' | 'increasing' | 'decreasing';

/** Limits a monitor judges against; `sigma` (one zone) is needed by rules 2–8, rule 1 reads ucl and lcl. */
export interface MonitorLimits {
  center: number;
  ucl: number;
  lcl: number;
  sigma?: number;
}

/** The start of a violation episode. */
export interface RuleFiring<T> {
  rule: RuleInfo;
  side?: RuleSide;
  /** The points that make the pattern, oldest first (for rules 5 and 6 only the ones beyond the zone). */
  points: T[];
}

interface Judged<T> {
  point: T;
  value: number;
  /** Distance from the centre line in zones (σ of the plotted statistic); 0 without a σ. */
  z: number;
}

/** A condition that holds, with its side and the points involved. */
type Holds<T> = { side?: RuleSide; points: T[] } | undefined;

/** Watches one chart's points for the enabled rules. */
export class RuleMonitor<T> {
  readonly #limits: MonitorLimits;
  readonly #rules: RuleNumber[];
  readonly #recent: Array<Judged<T>> = [];
  /** Open episodes: rule → side ('' for rules without one). */
  readonly #open = new Map<RuleNumber, string>();

  /** `rules` beyond 1 need `limits.sigma`; without it (a range chart) they are left out. */
  constructor(limits: MonitorLimits, rules: readonly RuleNumber[]) {
    this.#limits = limits;
    this.#rules = [...new Set(rules)].filter((rule) => rule === 1 || (limits.sigma !== undefined && limits.sigma > 0)).sort((a, b) => a - b);
  }

  /** The rules this monitor applies. */
  get rules(): readonly RuleNumber[] {
    return this.#rules;
  }

  /** Judges the next point; returns the episodes it starts (a continuing episode is not reported again). */
  push(point: T, value: number): Array<RuleFiring<T>> {
    const sigma = this.#limits.sigma;
    this.#recent.push({ point, value, z: sigma === undefined || sigma <= 0 ? 0 : (value - this.#limits.center) / sigma });
    if (this.#recent.length > MEMORY) this.#recent.shift();
    const firings: Array<RuleFiring<T>> = [];
    for (const rule of this.#rules) {
      const holds = this.#check(rule);
      if (holds === undefined) {
        this.#open.delete(rule);
        continue;
      }
      const side = holds.side ?? '';
      if (this.#open.get(rule) === side) continue;
      this.#open.set(rule, side);
      firings.push({ rule: RULES[rule], ...(holds.side === undefined ? {} : { side: holds.side }), points: holds.points });
    }
    return firings;
  }

  /** True while an episode of `rule` (on `side`) is open, i.e. its condition held on the latest point. */
  isOpen(rule: RuleNumber, side?: RuleSide): boolean {
    return this.#open.get(rule) === (side ?? '');
  }

  #last(count: number): Array<Judged<T>> | undefined {
    return this.#recent.length < count ? undefined : this.#recent.slice(-count);
  }

  #check(rule: RuleNumber): Holds<T> {
    switch (rule) {
      case 1:
        return this.#beyondLimits();
      case 2:
        return this.#sameSide(9);
      case 3:
        return this.#trend(6);
      case 4:
        return this.#alternating(14);
      case 5:
        return this.#countBeyond(3, 2, 2);
      case 6:
        return this.#countBeyond(5, 4, 1);
      case 7:
        return this.#all(15, (entry) => Math.abs(entry.z) < 1);
      case 8:
        return this.#all(8, (entry) => Math.abs(entry.z) > 1);
    }
  }

  #beyondLimits(): Holds<T> {
    const latest = this.#recent[this.#recent.length - 1]!;
    if (latest.value > this.#limits.ucl) return { side: 'above', points: [latest.point] };
    if (latest.value < this.#limits.lcl) return { side: 'below', points: [latest.point] };
    return undefined;
  }

  /** Every point of the window strictly on one side (a point on the centre line breaks the run). */
  #sameSide(count: number): Holds<T> {
    const window = this.#last(count);
    if (window === undefined) return undefined;
    if (window.every((entry) => entry.z > 0)) return { side: 'above', points: window.map((entry) => entry.point) };
    if (window.every((entry) => entry.z < 0)) return { side: 'below', points: window.map((entry) => entry.point) };
    return undefined;
  }

  /** Strictly increasing or strictly decreasing over the window (a tie breaks the trend). */
  #trend(count: number): Holds<T> {
    const window = this.#last(count);
    if (window === undefined) return undefined;
    let up = true;
    let down = true;
    for (let index = 1; index < window.length; index += 1) {
      const step = window[index]!.value - window[index - 1]!.value;
      if (!(step > 0)) up = false;
      if (!(step < 0)) down = false;
    }
    if (!up && !down) return undefined;
    return { side: up ? 'increasing' : 'decreasing', points: window.map((entry) => entry.point) };
  }

  /** Each step changes direction from the one before (a tie breaks the alternation). */
  #alternating(count: number): Holds<T> {
    const window = this.#last(count);
    if (window === undefined) return undefined;
    let previous = 0;
    for (let index = 1; index < window.length; index += 1) {
      const step = window[index]!.value - window[index - 1]!.value;
      if (step === 0 || (index > 1 && Math.sign(step) === Math.sign(previous))) return undefined;
      previous = step;
    }
    return { points: window.map((entry) => entry.point) };
  }

  /**
   * At least `needed` of the last `count` points beyond `zones` σ on the same side. At the start of a chart fewer
   * than `count` points suffice when `needed` of them are beyond: the missing ones cannot undo the pattern.
   */
  #countBeyond(count: number, needed: number, zones: number): Holds<T> {
    if (this.#recent.length < needed) return undefined;
    const window = this.#recent.slice(-count);
    const above = window.filter((entry) => entry.z > zones);
    if (above.length >= needed) return { side: 'above', points: above.map((entry) => entry.point) };
    const below = window.filter((entry) => entry.z < -zones);
    if (below.length >= needed) return { side: 'below', points: below.map((entry) => entry.point) };
    return undefined;
  }

  #all(count: number, test: (entry: Judged<T>) => boolean): Holds<T> {
    const window = this.#last(count);
    if (window === undefined || !window.every(test)) return undefined;
    return { points: window.map((entry) => entry.point) };
  }
}
