/**
 * OEE of any scope (machine, line, area) over any time range, computed exactly from the log: each machine's state
 * changes, counts and stop reasons in the range, the state it was in when the range began, and the planned shift
 * windows inside the range. The engine's emitted intervals and this query use the same calculator.
 */
import { NotFoundError } from '../../core/errors.js';
import type { StoredEvent } from '../../core/event.js';
import type { OeeQueryRequest, OeeQueryResult, OeeReader, OeeShiftResult } from '../../core/oee.js';
import { PlantModel } from '../../core/plant-model.js';
import { ShiftCalendar, type ShiftWindow } from '../../core/shift-calendar.js';
import type { EventLog } from '../../core/store.js';
import { aggregateOee, computeOee, type OeeResult } from './oee-calculator.js';
import type { OeeEngineConfig, OeeUnit } from './oee-config.js';
import { addToHistory, emptyHistory, type UnitHistory } from './oee-events.js';

const PAGE = 10_000;

export class OeeQueryService implements OeeReader {
  readonly #events: EventLog;
  readonly #plant: PlantModel;
  readonly #config: OeeEngineConfig;
  readonly #calendar: ShiftCalendar;
  readonly #now: () => number;

  constructor(options: { events: EventLog; plant: PlantModel; config: OeeEngineConfig; now: () => number }) {
    this.#events = options.events;
    this.#plant = options.plant;
    this.#config = options.config;
    this.#calendar = new ShiftCalendar(options.config.shifts, options.config.timezone);
    this.#now = options.now;
  }

  async query(request: OeeQueryRequest): Promise<OeeQueryResult> {
    const node = this.#plant.get(request.scope);
    if (node === undefined) throw new NotFoundError('PF_ERR_NOT_FOUND', `'${request.scope}' is not a path of this plant`);
    const units = this.#config.units.filter((unit) => PlantModel.isWithin(unit.equipment, request.scope));
    const until = Math.min(request.to, this.#now());
    const windows = this.#calendar
      .windows(request.from, request.to)
      .map((window) => ({ ...window, start: Math.max(window.start, request.from), end: Math.min(window.end, request.to) }))
      .filter((window) => window.end > window.start);
    const perUnit = new Map<string, { unit: OeeUnit; history: UnitHistory; initial?: { state: string; reason?: string } }>();
    for (const unit of units) perUnit.set(unit.equipment, { unit, history: await this.#history(unit.equipment, request.from, request.to), ...(await this.#initial(unit.equipment, request.from)) });

    const compute = (unitWindows: readonly ShiftWindow[], entry: { unit: OeeUnit; history: UnitHistory; initial?: { state: string; reason?: string } }): OeeResult =>
      computeOee({
        windows: unitWindows,
        states: entry.history.states,
        ...(entry.initial === undefined ? {} : { initial: entry.initial }),
        reasons: entry.history.reasons,
        counts: entry.history.counts,
        until,
        options: {
          ...(entry.unit.idealCycleSeconds === undefined ? {} : { idealCycleSeconds: entry.unit.idealCycleSeconds }),
          microStopSeconds: this.#config.microStopSeconds,
          plannedReasons: this.#config.plannedReasons,
          setupReasons: this.#config.setupReasons,
        },
      });
    // Machines that never reported anything in the range are not part of the plant's OEE yet (not connected).
    const reporting = [...perUnit.values()].filter((entry) => entry.initial !== undefined || entry.history.states.length > 0 || entry.history.counts.length > 0);
    const shifts: OeeShiftResult[] = windows.map((window) => ({
      shift: window.shift,
      from: new Date(window.start).toISOString(),
      to: new Date(window.end).toISOString(),
      ...aggregateOee(reporting.map((entry) => compute([window], entry))),
    }));
    return {
      scope: request.scope,
      level: node.level,
      from: new Date(request.from).toISOString(),
      to: new Date(request.to).toISOString(),
      units: reporting.map((entry) => entry.unit.equipment),
      total: aggregateOee(reporting.map((entry) => compute(windows, entry))),
      shifts,
    };
  }

  async #history(equipment: string, from: number, to: number): Promise<UnitHistory> {
    const history = emptyHistory();
    const seen = new Set<string>();
    const read = async (types: string[], range: { from: number; to?: number }): Promise<void> => {
      let after = 0;
      for (;;) {
        const page: StoredEvent[] = await this.#events.query({ equipment, types, ...range, afterPosition: after, limit: PAGE });
        for (const event of page) if (event.subject.equipment === equipment) addToHistory(history, event, seen);
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.position;
      }
    };
    await read(['equipment.state.changed', 'production.count.recorded'], { from, to });
    // An operator may explain a stop long after it: reasons are read up to now, and apply by the stop they name.
    await read(['downtime.reason.recorded'], { from });
    return history;
  }

  /** The state a machine was in when the range began. */
  async #initial(equipment: string, from: number): Promise<{ initial?: { state: string; reason?: string } }> {
    // The equipment filter also matches parts below the machine (a spindle); take the machine's own latest state.
    const recent = await this.#events.query({ equipment, types: ['equipment.state.changed'], to: from, newestFirst: true, limit: 50 });
    const last = recent.find((event) => event.subject.equipment === equipment);
    if (last === undefined || typeof last.data['state'] !== 'string') return {};
    const reason = last.data['reason'];
    return { initial: { state: last.data['state'], ...(typeof reason === 'string' && reason !== '' ? { reason } : {}) } };
  }
}
