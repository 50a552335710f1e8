/**
 * Hand-over at shift change: a durable timer per site at the next shift's start; when it fires, every live case of
 * that site whose owner the roster does not put on duty in the new shift goes to the incoming shift's owner for the
 * rule's role and area (same strategy and fallbacks as routing), with a record of who held it: history, audit, a
 * `case.handed-over` event and a notification to both. Unowned cases get an owner if the new shift has one.
 *
 * There is no accept step: the outgoing owner has left, so a case kept with them until someone accepted would sit
 * with nobody able to act; the incoming owner can pass it on with an ordinary assign. Status and SLA clocks carry on.
 */
import { LIVE_CASE_STATUSES, type CaseDoc } from '../../core/cases.js';
import type { Clock } from '../../core/clock.js';
import type { DurableTimer, OperationsStore } from '../../core/operations-store.js';
import { iso, type CaseBook, type CaseChange } from './case-book.js';
import type { CaseOpener } from './case-opener.js';
import type { ShiftRoster } from './owner-selection.js';
import type { RuleBook } from './rule-matcher.js';
import { HANDOVER_REF, SYSTEM_ACTOR, TIMER_KINDS, timersMootAfter } from './sla-clock.js';

export interface HandoverDeps {
  book: CaseBook;
  store: OperationsStore;
  opener: CaseOpener;
  roster: ShiftRoster;
  rules: RuleBook;
  clock: Clock;
}

const PAGE = 500;

export function handoverTimerId(site: string): string {
  return `shift-handover:${site}`;
}

export class Handover {
  readonly #deps: HandoverDeps;

  constructor(deps: HandoverDeps) {
    this.#deps = deps;
  }

  /** Arms each site's next shift change, unless armed already (a due one fires at once). */
  async arm(): Promise<void> {
    const armed = new Set((await this.#deps.store.timersFor(HANDOVER_REF)).map((timer) => timer.id));
    const set = this.#deps.roster.sites().filter((site) => !armed.has(handoverTimerId(site))).map((site) => this.#nextTimer(site)).filter((timer) => timer !== undefined);
    if (set.length > 0) await this.#deps.book.commitOther({ timers: { set } });
  }

  /** The shift-change timer's handler. */
  async fire(timer: DurableTimer): Promise<void> {
    const site = String(timer.payload?.['site'] ?? '');
    const now = this.#deps.clock.now();
    const shift = this.#deps.roster.calendar(site)?.shiftAt(now);
    if (shift !== undefined) await this.handOver(site, shift.shift);
    const next = this.#nextTimer(site);
    await this.#deps.book.commitOther({ timers: next === undefined ? { clear: [timer.id] } : { set: [next] } });
  }

  /** Hands the site's live cases to the shift `shift` where their owners are off duty; returns how many moved. */
  async handOver(site: string, shift: string): Promise<number> {
    const areas = this.#deps.roster.areasOf(site);
    const ids: string[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.#deps.store.findCases<CaseDoc>({ status: LIVE_CASE_STATUSES, areas, limit: PAGE, offset });
      ids.push(...page.map((row) => row.id));
      if (page.length < PAGE) break;
    }
    let moved = 0;
    for (const id of ids) {
      let changed = false;
      await this.#deps.book.update(id, async (doc, now) => {
        const change = doc === undefined ? undefined : await this.#change(doc, shift, now);
        changed = change !== undefined;
        return change;
      });
      if (changed) moved += 1;
    }
    return moved;
  }

  async #change(doc: CaseDoc, shift: string, now: number): Promise<CaseChange | undefined> {
    const rule = this.#deps.rules.get(doc.rule);
    if (doc.status === 'closed' || doc.area === undefined || rule === undefined) return undefined;
    if (doc.owner !== undefined && this.#deps.roster.onDuty(doc.area, shift).includes(doc.owner)) return undefined;
    const picked = await this.#deps.opener.chooseOwner(rule.rule.owner, doc.area, now, rule.id);
    if (picked === undefined || picked.choice.user === doc.owner) return undefined;
    const to = picked.choice.user;
    if (doc.owner === undefined) {
      const at = iso(now);
      return {
        doc: { ...doc, owner: to, status: doc.status === 'open' ? 'assigned' : doc.status, assignedAt: at, first: { ...doc.first, assignedAt: doc.first.assignedAt ?? at } },
        steps: [{ action: 'assigned', actor: SYSTEM_ACTOR, reason: `shift ${shift} started: ${picked.choice.role} on duty in ${picked.choice.area}`, data: { owner: to, shift }, event: 'case.assigned' }],
        notices: [{ suffix: 'assigned', kind: 'case.assigned', recipients: [to], title: `New case: ${doc.title}`, body: `Case ${doc.id} was waiting for an owner; your shift ${shift} has it now.` }],
        timers: { clear: timersMootAfter('assign', doc, rule) },
        records: [picked.record],
      };
    }
    const from = doc.owner;
    return {
      doc: { ...doc, owner: to, handovers: [...doc.handovers, { at: iso(now), from, to, shift }] },
      steps: [{ action: 'handed-over', actor: SYSTEM_ACTOR, reason: `shift ${shift} started and ${from} is not on duty`, data: { from, to, shift, status: doc.status }, event: 'case.handed-over' }],
      notices: [
        { suffix: 'handover-to', kind: 'case.handed-over', recipients: [to], title: `Handed over to you: ${doc.title}`, body: `Case ${doc.id} (${doc.status}) passed to you from ${from} at the start of shift ${shift}.`, data: { from, to } },
        { suffix: 'handover-from', kind: 'case.handed-over', recipients: [from], title: `Handed over: ${doc.title}`, body: `Your case ${doc.id} passed to ${to} (shift ${shift}).`, data: { from, to } },
      ],
      records: [picked.record],
    };
  }

  #nextTimer(site: string): DurableTimer | undefined {
    const next = this.#deps.roster.calendar(site)?.nextShift(this.#deps.clock.now());
    return next === undefined ? undefined : { id: handoverTimerId(site), dueAt: next.start, kind: TIMER_KINDS.handover, ref: HANDOVER_REF, payload: { site, shift: next.shift } };
  }
}
