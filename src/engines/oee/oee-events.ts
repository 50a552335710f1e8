/**
 * Pure: the OEE inputs of one machine from its stored events (state changes, counts, operator stop reasons), with
 * each count counted once however often it arrived.
 */
import type { StoredEvent } from '../../core/event.js';
import type { CountRecord, ReasonCapture, StateChange } from './oee-calculator.js';

export const OEE_EVENT_TYPES = ['equipment.state.changed', 'production.count.recorded', 'downtime.reason.recorded'] as const;

export interface UnitHistory {
  states: StateChange[];
  counts: CountRecord[];
  reasons: ReasonCapture[];
}

export function emptyHistory(): UnitHistory {
  return { states: [], counts: [], reasons: [] };
}

const number = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Inserts keeping time order (late arrivals land where they belong); equal times keep arrival order. */
function insertSorted<T extends { at: number }>(list: T[], item: T): void {
  let index = list.length;
  while (index > 0 && list[index - 1]!.at > item.at) index -= 1;
  list.splice(index, 0, item);
}

/** Adds one event to a machine's history; returns false for events OEE does not use. */
export function addToHistory(history: UnitHistory, event: StoredEvent, seenCounts?: Set<string>): boolean {
  const at = Date.parse(event.occurredAt);
  switch (event.type) {
    case 'equipment.state.changed': {
      const state = event.data['state'];
      if (typeof state !== 'string') return false;
      const reason = event.data['reason'];
      insertSorted(history.states, { at, state, ...(typeof reason === 'string' && reason !== '' ? { reason } : {}) });
      return true;
    }
    case 'production.count.recorded':
      // The log never stores an id twice; a replay or a second delivery to the engine must not count twice either.
      if (seenCounts !== undefined) {
        if (seenCounts.has(event.id)) return false;
        seenCounts.add(event.id);
      }
      insertSorted(history.counts, { at, good: number(event.data['good']), scrap: number(event.data['scrap']) });
      return true;
    case 'downtime.reason.recorded': {
      const reason = event.data['reason'];
      if (typeof reason !== 'string' || reason === '') return false;
      const stopStartedAt = typeof event.data['stopStartedAt'] === 'string' ? Date.parse(event.data['stopStartedAt']) : Number.NaN;
      insertSorted(history.reasons, { at, reason, ...(Number.isNaN(stopStartedAt) ? {} : { stopAt: stopStartedAt }) });
      return true;
    }
    default:
      return false;
  }
}

/** The state in force at `at` (the last change before it), for a window that starts after the history's first change. */
export function stateBefore(history: UnitHistory, at: number): { state: string; reason?: string } | undefined {
  let found: StateChange | undefined;
  for (const change of history.states) {
    if (change.at >= at) break;
    found = change;
  }
  return found === undefined ? undefined : { state: found.state, ...(found.reason === undefined ? {} : { reason: found.reason }) };
}

/** Forgets everything before `at` except the state in force then, which becomes the first change. */
export function pruneHistory(history: UnitHistory, at: number): void {
  const before = stateBefore(history, at);
  history.states = history.states.filter((change) => change.at >= at);
  if (before !== undefined) history.states.unshift({ at, ...before });
  history.counts = history.counts.filter((count) => count.at >= at);
  history.reasons = history.reasons.filter((reason) => (reason.stopAt ?? reason.at) >= at);
}
