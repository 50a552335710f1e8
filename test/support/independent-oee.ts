/**
 * An independent recomputation of a line's OEE for one shift from raw events, for the end-to-end test to check the
 * OEE engine against. Written apart from src/engines/oee on purpose (a timeline walk, not the engine's spans and
 * windows), following the rules of docs/oee.md: execute is production; a non-failure stop shorter than the micro-stop
 * limit between two runs is production; a stop whose reason is a setup reason, or a setup state, is setup; idle is a
 * delay; everything else is downtime; time before a machine's first report is not judged; the machine's stop-reason
 * events name the stop in progress. Line figures sum the machines' elements.
 */
import type { StoredEvent } from '../../src/core/event.js';

export interface IndependentOeeOptions {
  machines: string[];
  from: number;
  to: number;
  /** Seconds per part by the machine id's prefix (press-1 → press). */
  idealCycleSeconds: Record<string, number>;
  microStopSeconds: number;
  setupReasons: string[];
}

interface Piece {
  start: number;
  end: number;
  state: string;
  reason?: string;
}

const RUN = ['execute', 'completing'];
const FAULT = ['faulted', 'aborted', 'aborting'];
const SETUP = ['starting', 'resetting', 'clearing', 'unholding', 'unsuspending'];

export function recomputeLineOee(events: StoredEvent[], options: IndependentOeeOptions): { availability: number; performance: number; quality: number; oee: number } {
  let planned = 0;
  let production = 0;
  let ideal = 0;
  let produced = 0;
  let good = 0;
  for (const machine of options.machines) {
    const mine = events.filter((event) => event.subject.equipment === machine).sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.position - b.position);
    if (mine.length === 0) continue;
    // Walk the timeline from the shift start, cutting a piece at every state change.
    const pieces: Piece[] = [];
    const firstState = mine.find((event) => event.type === 'equipment.state.changed');
    if (firstState === undefined) continue;
    let state = 'unknown';
    let cursor = Math.max(options.from, Date.parse(firstState.occurredAt));
    for (const event of mine) {
      if (event.type !== 'equipment.state.changed') continue;
      const at = Date.parse(event.occurredAt);
      if (at >= options.to) break;
      if (at > cursor) pieces.push({ start: cursor, end: at, state });
      if (at >= cursor) cursor = at;
      state = String(event.data['state']);
    }
    pieces.push({ start: cursor, end: options.to, state });
    for (const event of mine) {
      if (event.type !== 'downtime.reason.recorded') continue;
      const at = Date.parse(event.occurredAt);
      const piece = pieces.find((candidate) => candidate.start <= at && at < candidate.end && !RUN.includes(candidate.state));
      if (piece !== undefined) piece.reason = String(event.data['reason']);
    }
    pieces.forEach((piece, index) => {
      const seconds = (piece.end - piece.start) / 1000;
      planned += seconds;
      if (RUN.includes(piece.state)) return void (production += seconds);
      const setup = SETUP.includes(piece.state) || (piece.reason !== undefined && options.setupReasons.includes(piece.reason));
      const idle = piece.state === 'idle' || piece.state === 'complete';
      const betweenRuns = RUN.includes(pieces[index - 1]?.state ?? '') && RUN.includes(pieces[index + 1]?.state ?? '');
      if (!setup && !idle && !FAULT.includes(piece.state) && betweenRuns && seconds < options.microStopSeconds) production += seconds;
    });
    const kind = machine.slice(machine.lastIndexOf('/') + 1).replace(/-\d+$/, '');
    for (const event of mine) {
      if (event.type !== 'production.count.recorded') continue;
      const at = Date.parse(event.occurredAt);
      if (at < options.from || at >= options.to) continue;
      const parts = Number(event.data['good'] ?? 0) + Number(event.data['scrap'] ?? 0);
      produced += parts;
      good += Number(event.data['good'] ?? 0);
      ideal += parts * (options.idealCycleSeconds[kind] ?? 0);
    }
  }
  const availability = production / planned;
  const performance = ideal / production;
  const quality = good / produced;
  return { availability, performance, quality, oee: availability * performance * quality };
}
