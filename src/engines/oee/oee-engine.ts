/**
 * The OEE engine: follows state changes, counts and stop reasons, and when a shift ends (in event time, plus a grace
 * period for late data) emits `oee.interval.computed` for every machine, line and area that reported, with the full
 * ISO 22400 time model. Data that arrives after a shift was closed revises it (revision n+1); a provisional update
 * for the shift in progress goes out every `rollingMinutes` of plant time. Deterministic for a given event sequence,
 * so a replay emits exactly what the live run did.
 */
import { defineEngine, type DerivedEventInput } from '../../core/engine.js';
import type { StoredEvent } from '../../core/event.js';
import { ShiftCalendar, type ShiftWindow } from '../../core/shift-calendar.js';
import { aggregateOee, computeOee, type OeeResult } from './oee-calculator.js';
import type { OeeEngineConfig, OeeUnit } from './oee-config.js';
import { addToHistory, emptyHistory, OEE_EVENT_TYPES, pruneHistory, stateBefore, type UnitHistory } from './oee-events.js';

/** Closed shifts kept for revisions by late data. */
const RETAINED_WINDOWS = 3;

interface ClosedWindow {
  window: ShiftWindow;
  revision: number;
}

export interface OeeState {
  /** The calendar and unit index of the config, built once. */
  plan: Plan;
  units: Map<string, UnitHistory>;
  seenCounts: Map<string, Set<string>>;
  /** Newest event time seen: the engine's sense of "now", from the data, never the wall clock. */
  clock: number;
  /** Windows ending at or before this are closed. */
  closedUntil: number | undefined;
  closed: ClosedWindow[];
  lastRolling: number;
  /** The event time before which no shift can close: saves asking the calendar at every event. */
  nextCloseAt: number;
}

export interface Plan {
  config: OeeEngineConfig;
  calendar: ShiftCalendar;
  units: Map<string, OeeUnit>;
}

function planOf(config: OeeEngineConfig): Plan {
  return { config, calendar: new ShiftCalendar(config.shifts, config.timezone), units: new Map(config.units.map((unit) => [unit.equipment, unit])) };
}

function resultFor(plan: Plan, unit: OeeUnit, history: UnitHistory, window: ShiftWindow, until: number): OeeResult {
  const initial = stateBefore(history, window.start);
  return computeOee({
    windows: [window],
    states: history.states.filter((change) => change.at >= window.start),
    ...(initial === undefined ? {} : { initial }),
    reasons: history.reasons,
    counts: history.counts,
    until,
    options: {
      ...(unit.idealCycleSeconds === undefined ? {} : { idealCycleSeconds: unit.idealCycleSeconds }),
      microStopSeconds: plan.config.microStopSeconds,
      plannedReasons: plan.config.plannedReasons,
      setupReasons: plan.config.setupReasons,
    },
  });
}

function interval(scope: string, level: string, window: ShiftWindow, result: OeeResult, final: boolean, revision: number, at: number): DerivedEventInput {
  return {
    type: 'oee.interval.computed',
    occurredAt: new Date(at).toISOString(),
    subject: { equipment: scope },
    data: { scope, level, shift: window.shift, from: new Date(window.start).toISOString(), to: new Date(window.end).toISOString(), final, revision, ...result },
  };
}

/** Every scope's result for one window: machines, then their lines, then their areas. */
function emitWindow(plan: Plan, state: OeeState, window: ShiftWindow, until: number, final: boolean, revision: number, emit: (event: DerivedEventInput) => void, onlyScopes?: Set<string>): void {
  const at = Math.min(window.end, until);
  const byLine = new Map<string, OeeResult[]>();
  const byArea = new Map<string, OeeResult[]>();
  for (const [equipment, history] of [...state.units.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const unit = plan.units.get(equipment);
    if (unit === undefined) continue;
    const result = resultFor(plan, unit, history, window, until);
    if (result.plannedBusySeconds === 0) continue;
    if (unit.line !== undefined) byLine.set(unit.line, [...(byLine.get(unit.line) ?? []), result]);
    if (unit.area !== undefined) byArea.set(unit.area, [...(byArea.get(unit.area) ?? []), result]);
    if (onlyScopes === undefined || onlyScopes.has(equipment)) emit(interval(equipment, 'equipment', window, result, final, revision, at));
  }
  for (const [line, results] of [...byLine.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (onlyScopes === undefined || onlyScopes.has(line)) emit(interval(line, 'line', window, aggregateOee(results), final, revision, at));
  }
  for (const [area, results] of [...byArea.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (onlyScopes === undefined || onlyScopes.has(area)) emit(interval(area, 'area', window, aggregateOee(results), final, revision, at));
  }
}

function scopesOf(unit: OeeUnit): Set<string> {
  return new Set([unit.equipment, ...(unit.line === undefined ? [] : [unit.line]), ...(unit.area === undefined ? [] : [unit.area])]);
}

/** Config is built by the runtime from plant.yaml and checked against OeeEngineConfigSchema there. */
export const oeeEngine = defineEngine<OeeEngineConfig, OeeState>({
  id: 'oee',
  subscribes: [...OEE_EVENT_TYPES],
  createState: (config): OeeState => ({ plan: planOf(config), units: new Map(), seenCounts: new Map(), clock: 0, closedUntil: undefined, closed: [], lastRolling: 0, nextCloseAt: Number.NEGATIVE_INFINITY }),
  handle(event: StoredEvent, context): void {
    const state = context.state;
    const plan = state.plan;
    const equipment = event.subject.equipment;
    if (equipment === undefined) return;
    const unit = plan.units.get(equipment);
    if (unit === undefined) return;
    const at = Date.parse(event.occurredAt);
    const graceMs = plan.config.graceMinutes * 60_000;

    if (state.closedUntil === undefined) {
      // The first event: shifts before it are not judged (nothing was known then).
      state.closedUntil = plan.calendar.shiftAt(at)?.start ?? at;
      state.lastRolling = at;
    }
    let history = state.units.get(equipment);
    if (history === undefined) {
      history = emptyHistory();
      state.units.set(equipment, history);
      state.seenCounts.set(equipment, new Set());
    }
    if (!addToHistory(history, event, state.seenCounts.get(equipment))) return;
    state.clock = Math.max(state.clock, at);
    // A stop reason belongs to the stop it names, which may lie in a shift already closed.
    const stopAt = event.type === 'downtime.reason.recorded' && typeof event.data['stopStartedAt'] === 'string' ? Date.parse(event.data['stopStartedAt']) : Number.NaN;
    const concerns = Number.isNaN(stopAt) ? at : stopAt;

    // Late data for a shift already closed: revise it, for the scopes this machine belongs to.
    if (concerns < state.closedUntil) {
      for (const closed of state.closed) {
        if (concerns >= closed.window.start && concerns < closed.window.end + graceMs) {
          closed.revision += 1;
          emitWindow(plan, state, closed.window, closed.window.end, true, closed.revision, context.emit, scopesOf(unit));
        }
      }
    }

    // Close every shift that ended (plus grace) before the newest event time. Time-zone arithmetic is dear, so the
    // calendar is asked only once the clock passes the end of the next shift to close.
    if (state.clock >= state.nextCloseAt) {
      for (const window of plan.calendar.windows(state.closedUntil, Math.max(state.closedUntil, state.clock - graceMs))) {
        if (window.start < state.closedUntil || window.end + graceMs > state.clock) continue;
        emitWindow(plan, state, window, window.end, true, 0, context.emit);
        state.closed.push({ window, revision: 0 });
        state.closedUntil = window.end;
      }
      const upcoming = plan.calendar.windows(state.closedUntil, state.closedUntil + 14 * 86_400_000).find((window) => window.start >= state.closedUntil!);
      state.nextCloseAt = upcoming === undefined ? Number.POSITIVE_INFINITY : upcoming.end + graceMs;
    }
    if (state.closed.length > RETAINED_WINDOWS) {
      state.closed = state.closed.slice(-RETAINED_WINDOWS);
      const keepFrom = state.closed[0]!.window.start;
      for (const kept of state.units.values()) pruneHistory(kept, keepFrom);
      for (const seen of state.seenCounts.values()) if (seen.size > 100_000) seen.clear();
    }

    const rollingMs = plan.config.rollingMinutes * 60_000;
    if (rollingMs > 0 && state.clock >= state.lastRolling + rollingMs) {
      state.lastRolling = state.clock - ((state.clock - state.lastRolling) % rollingMs);
      const open = plan.calendar.shiftAt(state.clock);
      if (open !== undefined && open.start >= state.closedUntil) emitWindow(plan, state, open, state.clock, false, 0, context.emit);
    }
  },
});
