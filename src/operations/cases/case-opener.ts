/**
 * Opens cases and picks owners. Opening is idempotent: the case id comes from the rule, the correlation key and the
 * first event, so a signal read again after a restart finds its case instead of opening a second one. The owner is
 * chosen among the people on duty (least-loaded counts their open cases in the store; round-robin remembers, per
 * rule, whom it picked last), and the context of the first signal is resolved and kept in the case.
 */
import type { CaseDoc, CaseStatus } from '../../core/cases.js';
import type { ContextResolver, SignalContext } from '../../core/context.js';
import { describeError } from '../../core/errors.js';
import type { OperationsStore, RecordChange } from '../../core/operations-store.js';
import type { PlantModel } from '../../core/plant-model.js';
import { FROM_EQUIPMENT, type OwnerSpec } from '../../core/routing-config.js';
import type { RecordStore } from '../../core/store.js';
import type { CaseBook } from './case-book.js';
import { caseIdFor, openingChange, type Signal } from './case-signals.js';
import { candidateGroups, pickOwner, recipientsOf, type ShiftRoster } from './owner-selection.js';
import type { CompiledRule } from './rule-matcher.js';

/** Statuses that count towards someone's load: work not yet done (resolved cases wait only for verification). */
export const LOAD_STATUSES: readonly CaseStatus[] = ['open', 'assigned', 'acknowledged', 'in-progress'];
const CURSOR_KIND = 'routing-cursor';

export interface OwnerChoice {
  user: string;
  role: string;
  area: string;
  shift: string;
  step: number;
}

/** The raising signals gathered so far for one correlation key. */
export interface HeldSignals {
  first: Signal;
  last: Signal;
  count: number;
  recent: string[];
  lastPosition: number;
}

export interface CaseOpenerDeps {
  book: CaseBook;
  store: OperationsStore;
  records: RecordStore;
  plant: PlantModel;
  roster: ShiftRoster;
  context?: ContextResolver;
}

export class CaseOpener {
  readonly #deps: CaseOpenerDeps;

  constructor(deps: CaseOpenerDeps) {
    this.#deps = deps;
  }

  /** The area a case belongs to: its equipment's, or the owner's area when the rule names one. */
  areaFor(rule: CompiledRule, equipment: string | undefined): string | undefined {
    const fromEquipment = equipment === undefined ? undefined : this.#deps.plant.areaOf(equipment);
    const named = rule.rule.owner.area;
    return fromEquipment ?? (named === undefined || named === FROM_EQUIPMENT ? undefined : named);
  }

  /** Picks the owner by the spec at `at`, or undefined when nobody it names is on duty. */
  async chooseOwner(spec: OwnerSpec, area: string | undefined, at: number, cursor: string): Promise<{ choice: OwnerChoice; record: RecordChange } | undefined> {
    const group = candidateGroups(spec, area, at, this.#deps.roster)[0];
    if (group === undefined) return undefined;
    const last = (await this.#deps.records.get<{ last: string }>(CURSOR_KIND, cursor))?.last;
    const loads = new Map<string, number>();
    if (spec.strategy !== 'round-robin') {
      for (const user of group.users) loads.set(user, await this.#deps.store.countCases({ owner: user, status: LOAD_STATUSES }));
    }
    const user = pickOwner(group.users, spec.strategy, loads, last);
    return { choice: { user, role: group.role, area: group.area, shift: group.shift, step: group.step }, record: { kind: CURSOR_KIND, id: cursor, value: { last: user } } };
  }

  /**
   * Opens the case for these signals unless it exists; returns it and whether this call opened it. `clearTimers`
   * (the hold that led here) are cleared in the same commit, or at once when the case already existed.
   */
  async open(rule: CompiledRule, key: string, held: HeldSignals, clearTimers: string[] = []): Promise<{ doc: CaseDoc | undefined; opened: boolean }> {
    const id = caseIdFor(rule.id, key, held.first.event.id);
    let opened = false;
    const doc = await this.#deps.book.update(id, async (existing, now) => {
      if (existing !== undefined) return undefined;
      opened = true;
      const equipment = held.first.event.subject.equipment;
      const area = this.areaFor(rule, equipment);
      const resolved = await this.#context(rule, equipment, held.first.at, held.first.event.position);
      const owner = await this.chooseOwner(rule.rule.owner, area, now, rule.id);
      const site = area === undefined ? undefined : this.#deps.roster.siteOf(area);
      const change = openingChange({
        id,
        rule,
        key,
        first: held.first,
        last: held.last,
        count: held.count,
        recent: held.recent,
        lastPosition: held.lastPosition,
        now,
        ...(site === undefined ? {} : { site }),
        ...(area === undefined ? {} : { area }),
        ...resolved,
        ...(owner === undefined ? {} : { owner: owner.choice }),
        unassignedNotify: owner === undefined ? recipientsOf([{ role: 'supervisor' }], area, now, this.#deps.roster) : [],
        clearTimers,
      });
      return owner === undefined ? change : { ...change, records: [owner.record] };
    });
    if (!opened && clearTimers.length > 0) await this.#deps.book.commitOther({ timers: { clear: clearTimers } });
    return { doc, opened };
  }

  /** The signal's context; a resolver failure is kept in the case rather than stopping it from opening. */
  async #context(rule: CompiledRule, equipment: string | undefined, at: number, position: number): Promise<{ context?: SignalContext; contextError?: string }> {
    if (this.#deps.context === undefined || equipment === undefined) return {};
    // The log position lets a resolver that follows the log catch up to the signal first (operations/context does).
    const query = { equipment, at, severity: rule.rule.case.severity, safety: rule.rule.case.safety === true, position };
    try {
      return { context: await this.#deps.context.resolve(query) };
    } catch (error) {
      return { contextError: describeError(error) };
    }
  }
}
