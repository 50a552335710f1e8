/**
 * Where every case change is written: one `operations.commit` carrying the case row, its history, the audit entries,
 * timers and notification requests, then the canonical `case.*` events appended to the log. Changes to one case are
 * serialised (a chain of promises per id), so the routing engine, the timers and people on the API never overwrite
 * each other.
 *
 * The events are also kept in the same commit as `case-event` records until they are on the log, so a crash between
 * the commit and the append loses no event: `flushPendingEvents` appends what is left at start (appends are
 * idempotent by id) and later commits delete the records.
 */
import type { CaseDoc } from '../../core/cases.js';
import type { Clock } from '../../core/clock.js';
import type { CanonicalEvent } from '../../core/event.js';
import { contentId } from '../../core/pipeline/event-id.js';
import { NOTIFY_CHANNEL, type NotificationOutlet, type NotificationRequest } from '../../core/notifications.js';
import type { CaseRow, DurableTimer, OperationsStore, RecordChange, UnitOfWork } from '../../core/operations-store.js';
import type { AppendResult, RecordStore } from '../../core/store.js';

export type CaseEventType =
  | 'case.opened'
  | 'case.assigned'
  | 'case.acknowledged'
  | 'case.started'
  | 'case.resolved'
  | 'case.closed'
  | 'case.reopened'
  | 'case.commented'
  | 'case.escalated'
  | 'case.sla.breached'
  | 'case.handed-over';

/** One thing that happened to a case: a history line, an audit entry and, when `event` is set, a log event. */
export interface CaseStep {
  /** Past tense, without the `case.` prefix: opened, assigned, condition-cleared, ... */
  action: string;
  actor: string;
  reason?: string;
  data?: Record<string, unknown>;
  event?: CaseEventType;
}

/** A notification request before the book gives it its key and time. */
export interface CaseNotice {
  /** Makes the key unique within one change: `${caseId}:${revision}:${suffix}`. */
  suffix: string;
  kind: string;
  recipients: string[];
  title: string;
  body: string;
  data?: Record<string, unknown>;
}

export interface CaseChange {
  /** The case after the change; the book bumps `revision` and `updatedAt`. */
  doc: CaseDoc;
  steps: CaseStep[];
  notices?: CaseNotice[];
  timers?: { set?: DurableTimer[]; clear?: string[] };
  records?: RecordChange[];
}

export interface CaseBookDeps {
  store: OperationsStore;
  records: RecordStore;
  appendDerived(events: readonly CanonicalEvent[]): Promise<AppendResult>;
  clock: Clock;
  outlet?: NotificationOutlet;
  /** Told after a commit that set or cleared timers, so the scheduler sleeps until the right one. */
  onTimersChanged(): void;
  /** Told after each committed case change, before its events reach the log (benchmarks, live views). */
  onCommitted?(doc: CaseDoc, actions: readonly string[]): void;
}

/** The record kind holding case events between their commit and their append. */
export const PENDING_EVENT_KIND = 'case-event';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function caseRowOf(doc: CaseDoc): CaseRow<CaseDoc> {
  return {
    id: doc.id,
    kind: doc.kind,
    status: doc.status,
    ...(doc.area === undefined ? {} : { area: doc.area }),
    ...(doc.owner === undefined ? {} : { owner: doc.owner }),
    correlationKey: doc.correlationKey,
    openedAt: Date.parse(doc.openedAt),
    updatedAt: Date.parse(doc.updatedAt),
    doc,
  };
}

function caseEvent(doc: CaseDoc, step: CaseStep & { event: CaseEventType }, index: number, now: number): CanonicalEvent {
  return {
    id: contentId('case', { case: doc.id, revision: doc.revision, index }),
    type: step.event,
    occurredAt: iso(now),
    receivedAt: iso(now),
    source: { system: 'plantfabric', connector: 'cases', address: doc.id },
    subject: {
      case: doc.id,
      ...(doc.equipment === undefined ? {} : { equipment: doc.equipment }),
      ...(doc.workOrder === undefined ? {} : { workOrder: doc.workOrder }),
    },
    data: {
      rule: doc.rule,
      kind: doc.kind,
      severity: doc.severity,
      status: doc.status,
      title: doc.title,
      actor: step.actor,
      ...(doc.owner === undefined ? {} : { owner: doc.owner }),
      ...(doc.area === undefined ? {} : { area: doc.area }),
      ...(step.reason === undefined ? {} : { reason: step.reason }),
      ...step.data,
    },
    quality: 'good',
  };
}

export class CaseBook {
  readonly #deps: CaseBookDeps;
  readonly #locks = new Map<string, Promise<unknown>>();
  /** Pending-event records already on the log; deleted by the next commit. */
  #appended: string[] = [];

  constructor(deps: CaseBookDeps) {
    this.#deps = deps;
  }

  async get(id: string): Promise<CaseDoc | undefined> {
    return (await this.#deps.store.getCase<CaseDoc>(id))?.doc;
  }

  /**
   * Reads the case, lets `change` decide, and commits what it returns, with no other change to the same case in
   * between. Returns the case as committed (or as read, when `change` returned nothing).
   */
  async update(id: string, change: (doc: CaseDoc | undefined, now: number) => Promise<CaseChange | undefined> | CaseChange | undefined): Promise<CaseDoc | undefined> {
    return this.#locked(id, async () => {
      const current = await this.get(id);
      const now = this.#deps.clock.now();
      const decided = await change(current, now);
      if (decided === undefined) return current;
      return this.#commit(decided, now);
    });
  }

  /** Commits a unit that is about no case (hold timers), carrying along the clean-up of appended events. */
  async commitOther(unit: UnitOfWork): Promise<void> {
    const appended = this.#appended;
    await this.#deps.store.commit({ ...unit, records: [...(unit.records ?? []), ...appended.map((id) => ({ kind: PENDING_EVENT_KIND, id, delete: true as const }))] });
    this.#appended = this.#appended.filter((id) => !appended.includes(id));
    if (unit.timers !== undefined) this.#deps.onTimersChanged();
  }

  /** Appends the events a crash left between commit and append; call once at start. */
  async flushPendingEvents(): Promise<number> {
    const pending = await this.#deps.records.list<CanonicalEvent>(PENDING_EVENT_KIND);
    if (pending.length === 0) return 0;
    const events = pending.map((entry) => entry.value).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    await this.#deps.appendDerived(events);
    await this.#deps.store.commit({ records: pending.map((entry) => ({ kind: PENDING_EVENT_KIND, id: entry.id, delete: true as const })) });
    return pending.length;
  }

  async #commit(change: CaseChange, now: number): Promise<CaseDoc> {
    const doc: CaseDoc = { ...change.doc, revision: change.doc.revision + 1, updatedAt: iso(now) };
    const events: CanonicalEvent[] = [];
    change.steps.forEach((step, index) => {
      if (step.event !== undefined) events.push(caseEvent(doc, { ...step, event: step.event }, index, now));
    });
    const requests: NotificationRequest[] = (change.notices ?? [])
      .filter((notice) => notice.recipients.length > 0)
      .map((notice) => ({
        key: `${doc.id}:${doc.revision}:${notice.suffix}`,
        kind: notice.kind,
        recipients: notice.recipients,
        title: notice.title,
        body: notice.body,
        severity: doc.severity,
        caseId: doc.id,
        at: now,
        data: { status: doc.status, ...(doc.equipment === undefined ? {} : { equipment: doc.equipment }), ...notice.data },
      }));
    const appended = this.#appended;
    const unit: UnitOfWork = {
      cases: [caseRowOf(doc)],
      history: change.steps.map((step) => ({
        caseId: doc.id,
        at: now,
        actor: step.actor,
        action: step.action,
        ...(step.data === undefined && step.reason === undefined ? {} : { data: { ...step.data, ...(step.reason === undefined ? {} : { reason: step.reason }) } }),
      })),
      audit: change.steps.map((step) => ({
        actor: step.actor,
        action: `case.${step.action}`,
        subject: { kind: 'case', id: doc.id },
        ...(step.reason === undefined ? {} : { reason: step.reason }),
        ...(step.data === undefined ? {} : { data: step.data }),
      })),
      ...(change.timers === undefined ? {} : { timers: change.timers }),
      // The outbox's own times are the store's; the request carries plant time in `at`.
      outbox: requests.map((request) => ({ id: request.key, channel: NOTIFY_CHANNEL, payload: { ...request } })),
      records: [
        ...(change.records ?? []),
        ...events.map((event) => ({ kind: PENDING_EVENT_KIND, id: event.id, value: event })),
        ...appended.map((id) => ({ kind: PENDING_EVENT_KIND, id, delete: true as const })),
      ],
    };
    await this.#deps.store.commit(unit);
    this.#appended = this.#appended.filter((id) => !appended.includes(id));
    if (requests.length > 0) this.#deps.outlet?.wake();
    this.#deps.onCommitted?.(doc, change.steps.map((step) => step.action));
    if (change.timers !== undefined) this.#deps.onTimersChanged();
    if (events.length > 0) {
      await this.#deps.appendDerived(events);
      this.#appended.push(...events.map((event) => event.id));
    }
    return doc;
  }

  async #locked<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(id) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#locks.set(id, tail);
    try {
      return await run;
    } finally {
      if (this.#locks.get(id) === tail) this.#locks.delete(id);
    }
  }
}
