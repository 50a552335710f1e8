/**
 * OEE per ISO 22400-2 for one work unit over planned busy windows, as a pure function of the unit's state changes,
 * counts and operator-given stop reasons. The time model:
 *
 *   planned busy time (PBT)   = planned shift time − planned downtime (stops whose reason is planned, e.g. a meeting)
 *   actual production (APT)   = time in execute (plus micro-stops, which are speed losses, not availability losses)
 *   actual unit down (ADOT)   = unplanned stops (held, suspended, stopped, aborted, faulted, no data), by reason
 *   actual unit setup (AUST)  = setup states, or stops whose reason is a setup reason (changeover)
 *   actual unit delay (ADET)  = idle: ready, but nothing to make
 *   availability = APT / PBT,  performance = (ideal cycle × produced) / APT,  quality = good / produced,
 *   OEE = availability × performance × quality,
 *   MTBF = APT / (FE + 1) and MTTR = Σ repair time / FE over the FE failures (ISO 22400-2: FE failures split the
 *   operating time into FE + 1 intervals).
 *
 * Time outside planned windows is not a loss: nothing there is counted in PBT, and parts made there are reported
 * apart; nor is time before a machine's first report. A stop that spans a shift boundary is split at it.
 */
import type { OeeResult } from '../../core/oee.js';

export interface StateChange {
  /** Epoch ms. */
  at: number;
  state: string;
  /** The machine's own reason, if it gave one. */
  reason?: string;
}

export interface ReasonCapture {
  /** When the operator said it, epoch ms. */
  at: number;
  reason: string;
  /** Which stop it explains: the one active at this instant (default: at `at`). */
  stopAt?: number;
}

export interface CountRecord {
  at: number;
  good: number;
  scrap: number;
  /** Ideal seconds per part for this count (from the order's routing); default the unit's. */
  idealCycleSeconds?: number;
}

export interface PlannedWindow {
  start: number;
  end: number;
}

export interface OeeOptions {
  /** Ideal cycle time of the unit, seconds per part (equipment class), when a count names none. */
  idealCycleSeconds?: number;
  /** Unplanned stops shorter than this count as speed losses (micro-stops). Default 120 s; 0 disables. */
  microStopSeconds?: number;
  /** Stop reasons that are planned downtime (excluded from PBT). */
  plannedReasons?: readonly string[];
  /** Stop reasons that are setup / changeover (AUST). */
  setupReasons?: readonly string[];
}

export interface OeeInput {
  windows: readonly PlannedWindow[];
  /** State changes in time order; the state before the first one is `initial` (or unknown). */
  states: readonly StateChange[];
  initial?: { state: string; reason?: string };
  reasons?: readonly ReasonCapture[];
  counts: readonly CountRecord[];
  /** The end of what is known (now, for a window still open). Time after it is not judged. */
  until: number;
  options?: OeeOptions;
}

export type { OeeResult } from '../../core/oee.js';

type Category = 'production' | 'down' | 'setup' | 'delay';

const PRODUCTION = new Set(['execute', 'completing']);
const SETUP = new Set(['starting', 'resetting', 'clearing', 'unholding', 'unsuspending']);
const DELAY = new Set(['idle', 'complete']);
const FAILURE = new Set(['faulted', 'aborted', 'aborting']);
export const UNKNOWN_REASON = 'unknown';

interface Span {
  start: number;
  end: number;
  state: string;
  reason: string | undefined;
}

/** The state spans over [from, to), from the change points. */
function spans(input: OeeInput, from: number, to: number): Span[] {
  const result: Span[] = [];
  let current: { state: string; reason: string | undefined; since: number } = {
    state: input.initial?.state ?? 'unknown',
    reason: input.initial?.reason,
    since: Number.NEGATIVE_INFINITY,
  };
  const close = (end: number): void => {
    const start = Math.max(current.since, from);
    const stop = Math.min(end, to);
    if (stop > start) result.push({ start, end: stop, state: current.state, reason: current.reason });
  };
  for (const change of input.states) {
    if (change.at >= to) break;
    close(change.at);
    current = { state: change.state, reason: change.reason, since: change.at };
  }
  close(to);
  return result;
}

/** Operator reasons override the machine's for the stop they point at. */
function applyReasons(all: Span[], reasons: readonly ReasonCapture[] | undefined): void {
  for (const capture of reasons ?? []) {
    const at = capture.stopAt ?? capture.at;
    const span = all.find((candidate) => candidate.start <= at && at < candidate.end && !PRODUCTION.has(candidate.state));
    if (span !== undefined) span.reason = capture.reason;
  }
}

function categoryOf(span: Span, options: Required<Pick<OeeOptions, 'plannedReasons' | 'setupReasons'>>): Category | 'planned' {
  if (PRODUCTION.has(span.state)) return 'production';
  if (span.reason !== undefined && options.plannedReasons.includes(span.reason)) return 'planned';
  if (SETUP.has(span.state) || (span.reason !== undefined && options.setupReasons.includes(span.reason))) return 'setup';
  if (DELAY.has(span.state)) return 'delay';
  return 'down';
}

const ratio = (numerator: number, denominator: number): number | null => (denominator > 0 ? numerator / denominator : null);

/** Computes OEE and its time model; pure and deterministic. */
export function computeOee(input: OeeInput): OeeResult {
  const options = {
    idealCycleSeconds: input.options?.idealCycleSeconds,
    microStopMs: (input.options?.microStopSeconds ?? 120) * 1000,
    plannedReasons: input.options?.plannedReasons ?? [],
    setupReasons: input.options?.setupReasons ?? [],
  };
  const totals = { planned: 0, plannedDown: 0, production: 0, down: 0, setup: 0, delay: 0, microCount: 0, microMs: 0, repairMs: 0, failures: 0 };
  const byReason: Record<string, number> = {};
  // Before a machine's first report nothing is known about it (not connected yet): that time is not judged, neither
  // as production nor as loss. With no report at all, nothing is.
  const firstReport = input.initial !== undefined ? Number.NEGATIVE_INFINITY : (input.states[0]?.at ?? Number.POSITIVE_INFINITY);
  const windows = [...input.windows]
    .map((window) => ({ start: Math.max(window.start, firstReport), end: window.end }))
    .filter((window) => window.end > window.start)
    .sort((a, b) => a.start - b.start);

  for (const window of windows) {
    const end = Math.min(window.end, input.until);
    if (end <= window.start) continue;
    const all = spans(input, window.start, end);
    applyReasons(all, input.reasons);
    all.forEach((span, index) => {
      const ms = span.end - span.start;
      const category = categoryOf(span, options);
      totals.planned += ms;
      if (category === 'planned') {
        totals.plannedDown += ms;
        return;
      }
      if (category === 'down') {
        // A short stop between two runs is a speed loss: it stays in production time and shows as a micro-stop.
        const between = all[index - 1] !== undefined && PRODUCTION.has(all[index - 1]!.state) && all[index + 1] !== undefined && PRODUCTION.has(all[index + 1]!.state);
        if (between && ms < options.microStopMs && !FAILURE.has(span.state)) {
          totals.production += ms;
          totals.microCount += 1;
          totals.microMs += ms;
          return;
        }
        totals.down += ms;
        const reason = span.reason ?? UNKNOWN_REASON;
        byReason[reason] = (byReason[reason] ?? 0) + ms;
        if (FAILURE.has(span.state)) totals.repairMs += ms;
        return;
      }
      totals[category] += ms;
    });
    // A failure is a transition into a failure state inside the window (a fault carried in from before is not new).
    for (const change of input.states) {
      if (change.at >= window.start && change.at < end && FAILURE.has(change.state)) totals.failures += 1;
    }
  }

  let produced = 0;
  let good = 0;
  let scrap = 0;
  let outside = 0;
  let idealMs = 0;
  for (const count of input.counts) {
    const inside = windows.some((window) => count.at >= window.start && count.at < Math.min(window.end, input.until));
    const quantity = count.good + count.scrap;
    if (!inside) {
      outside += quantity;
      continue;
    }
    produced += quantity;
    good += count.good;
    scrap += count.scrap;
    const ideal = count.idealCycleSeconds ?? options.idealCycleSeconds;
    if (ideal !== undefined) idealMs += ideal * 1000 * quantity;
  }

  const plannedBusy = totals.planned - totals.plannedDown;
  const availability = ratio(totals.production, plannedBusy);
  const performance = options.idealCycleSeconds === undefined && idealMs === 0 ? null : ratio(idealMs, totals.production);
  const quality = ratio(good, produced);
  const toSeconds = (ms: number): number => ms / 1000;
  return {
    plannedBusySeconds: toSeconds(plannedBusy),
    plannedDowntimeSeconds: toSeconds(totals.plannedDown),
    actualProductionSeconds: toSeconds(totals.production),
    downSeconds: toSeconds(totals.down),
    setupSeconds: toSeconds(totals.setup),
    delaySeconds: toSeconds(totals.delay),
    downtimeByReason: Object.fromEntries(Object.entries(byReason).map(([reason, ms]) => [reason, toSeconds(ms)])),
    microStops: { count: totals.microCount, seconds: toSeconds(totals.microMs) },
    producedQuantity: produced,
    goodQuantity: good,
    scrapQuantity: scrap,
    outsidePlannedQuantity: outside,
    idealProductionSeconds: toSeconds(idealMs),
    availability,
    performance,
    quality,
    oee: availability === null || performance === null || quality === null ? null : availability * performance * quality,
    failures: totals.failures,
    mtbfSeconds: plannedBusy > 0 ? toSeconds(totals.production) / (totals.failures + 1) : null,
    mttrSeconds: totals.failures > 0 ? toSeconds(totals.repairMs) / totals.failures : null,
  };
}

/**
 * Sums several units' results into one for a line or an area (ISO 22400 KPIs aggregate by their time and quantity
 * elements, not by averaging ratios): the ratios are recomputed from the summed elements.
 */
export function aggregateOee(results: readonly OeeResult[]): OeeResult {
  const sum = (pick: (result: OeeResult) => number): number => results.reduce((total, result) => total + pick(result), 0);
  const byReason: Record<string, number> = {};
  for (const result of results) for (const [reason, seconds] of Object.entries(result.downtimeByReason)) byReason[reason] = (byReason[reason] ?? 0) + seconds;
  const plannedBusy = sum((result) => result.plannedBusySeconds);
  const production = sum((result) => result.actualProductionSeconds);
  const ideal = sum((result) => result.idealProductionSeconds);
  const produced = sum((result) => result.producedQuantity);
  const good = sum((result) => result.goodQuantity);
  const failures = sum((result) => result.failures);
  const repair = sum((result) => (result.mttrSeconds ?? 0) * result.failures);
  const availability = ratio(production, plannedBusy);
  const hasIdeal = results.some((result) => result.performance !== null);
  const performance = hasIdeal ? ratio(ideal, production) : null;
  const quality = ratio(good, produced);
  return {
    plannedBusySeconds: plannedBusy,
    plannedDowntimeSeconds: sum((result) => result.plannedDowntimeSeconds),
    actualProductionSeconds: production,
    downSeconds: sum((result) => result.downSeconds),
    setupSeconds: sum((result) => result.setupSeconds),
    delaySeconds: sum((result) => result.delaySeconds),
    downtimeByReason: byReason,
    microStops: { count: sum((result) => result.microStops.count), seconds: sum((result) => result.microStops.seconds) },
    producedQuantity: produced,
    goodQuantity: good,
    scrapQuantity: sum((result) => result.scrapQuantity),
    outsidePlannedQuantity: sum((result) => result.outsidePlannedQuantity),
    idealProductionSeconds: ideal,
    availability,
    performance,
    quality,
    oee: availability === null || performance === null || quality === null ? null : availability * performance * quality,
    failures,
    mtbfSeconds: plannedBusy > 0 ? production / (failures + 1) : null,
    mttrSeconds: failures > 0 ? repair / failures : null,
  };
}
