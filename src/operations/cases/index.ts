/**
 * Routing, cases, SLA clocks, escalation and hand-over (ARCHITECTURE.md §5, docs/cases.md), assembled: the routing
 * engine turns signals into cases, one timer scheduler drives holds, SLA deadlines, escalation tiers, verification
 * windows and shift changes, and the same object answers the case API. Built by the runtime, started with it.
 */
import { ALL_AREAS } from '../../core/access.js';
import { CASE_STATUSES, LIVE_CASE_STATUSES, type CaseApi, type CaseDoc, type CaseListQuery, type CaseMetrics, type CaseTransitionInput } from '../../core/cases.js';
import type { Clock } from '../../core/clock.js';
import type { ContextResolver } from '../../core/context.js';
import { describeError, NotFoundError } from '../../core/errors.js';
import type { CanonicalEvent } from '../../core/event.js';
import type { EventBus } from '../../core/event-bus.js';
import type { MetricsRegistry } from '../../core/metrics.js';
import type { NotificationOutlet } from '../../core/notifications.js';
import type { CaseHistoryEntry, CaseQuery, DurableTimer } from '../../core/operations-store.js';
import type { PlantModel } from '../../core/plant-model.js';
import type { AppendResult, Stores } from '../../core/store.js';
import { CaseBook, type CaseChange } from './case-book.js';
import { actionChange, attachChange, commentChange } from './case-actions.js';
import { caseMetrics, registerCaseGauges } from './case-metrics.js';
import { CaseOpener } from './case-opener.js';
import { Handover } from './handover.js';
import { ShiftRoster } from './owner-selection.js';
import { RoutingEngine } from './routing-engine.js';
import { RuleBook } from './rule-matcher.js';
import { breachChange, tierChange, TIMER_KINDS, verifiedChange } from './sla-clock.js';
import { TimerScheduler, type TimerHandler } from './timer-scheduler.js';

export { RuleBook, compileRule } from './rule-matcher.js';
export { ROUTING_CONSUMER } from './routing-engine.js';

export interface CaseOperationsOptions {
  stores: Pick<Stores, 'events' | 'records' | 'checkpoints' | 'operations'>;
  bus: EventBus;
  /** The pipeline's trusted append, so case events are persisted and published like any other. */
  appendDerived(events: readonly CanonicalEvent[]): Promise<AppendResult>;
  plant: PlantModel;
  clock: Clock;
  /** Resolves the context stored in each new case; without it cases carry none. */
  context?: ContextResolver;
  /** Woken after a commit that wrote notification requests. */
  outlet?: NotificationOutlet;
  /** Where the case gauges are registered. */
  metrics?: MetricsRegistry;
  /** Plant time the /metrics gauges look back over. Default 7 days. */
  metricsWindowMs?: number;
  onError?(error: unknown): void;
}

const PAGE = 1000;
const MAX_METRIC_CASES = 100_000;
const WEEK_MS = 7 * 86_400_000;

export class CaseOperations implements CaseApi {
  readonly rules: RuleBook;
  readonly roster: ShiftRoster;
  readonly #options: CaseOperationsOptions;
  readonly #book: CaseBook;
  readonly #opener: CaseOpener;
  readonly #routing: RoutingEngine;
  readonly #scheduler: TimerScheduler;
  readonly #handover: Handover;
  readonly #onError: (error: unknown) => void;
  readonly #listeners = new Set<(doc: CaseDoc, actions: readonly string[]) => void>();
  #started = false;

  constructor(options: CaseOperationsOptions) {
    this.#options = options;
    const { stores, clock, plant } = options;
    this.#onError = options.onError ?? ((error) => console.error(`cases: ${describeError(error)}`));
    this.rules = new RuleBook(plant.config.routing?.rules ?? []);
    this.roster = new ShiftRoster(plant.config);
    this.#book = new CaseBook({
      store: stores.operations,
      records: stores.records,
      appendDerived: (events) => options.appendDerived(events),
      clock,
      ...(options.outlet === undefined ? {} : { outlet: options.outlet }),
      onTimersChanged: () => this.#scheduler.wake(),
      onCommitted: (doc, actions) => {
        for (const listener of this.#listeners) {
          try {
            listener(doc, actions);
          } catch (error) {
            this.#onError(error);
          }
        }
      },
    });
    this.#opener = new CaseOpener({ book: this.#book, store: stores.operations, records: stores.records, plant, roster: this.roster, ...(options.context === undefined ? {} : { context: options.context }) });
    this.#routing = new RoutingEngine({ rules: this.rules, events: stores.events, checkpoints: stores.checkpoints, bus: options.bus, store: stores.operations, book: this.#book, opener: this.#opener, clock, onError: this.#onError });
    this.#handover = new Handover({ book: this.#book, store: stores.operations, opener: this.#opener, roster: this.roster, rules: this.rules, clock });
    const handlers = new Map<string, TimerHandler>([
      [TIMER_KINDS.hold, (timer) => this.#routing.fireHold(timer)],
      [TIMER_KINDS.sla, (timer) => this.#onCaseTimer(timer, (doc, now) => breachChange(doc, this.rules.get(doc.rule), timer, now, this.roster))],
      [TIMER_KINDS.escalation, (timer) => this.#onCaseTimer(timer, (doc, now) => tierChange(doc, this.rules.get(doc.rule), timer, now, this.roster))],
      [TIMER_KINDS.verify, (timer) => this.#onCaseTimer(timer, (doc, now) => verifiedChange(doc, timer, now))],
      [TIMER_KINDS.handover, (timer) => this.#handover.fire(timer)],
    ]);
    this.#scheduler = new TimerScheduler({ store: stores.operations, clock, handlers, onError: (error, timer) => this.#onError(timer === undefined ? error : new Error(`timer ${timer.id}: ${describeError(error)}`, { cause: error })) });
    if (options.metrics !== undefined) registerCaseGauges(options.metrics, () => this.#gaugeFigures());
  }

  /** Appends events a crash left behind, catches routing up with the log, then runs timers and shift changes. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#book.flushPendingEvents();
    await this.#routing.start();
    this.#scheduler.start();
    await this.#handover.arm();
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.#routing.stop();
    await this.#scheduler.stop();
  }

  /**
   * Tells `listener` of every committed case change (the case as committed and the steps taken, e.g. opened,
   * assigned), right after the commit and before its events are appended to the log. Returns the unsubscribe.
   */
  onChange(listener: (doc: CaseDoc, actions: readonly string[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once every event delivered so far has been routed (tests, benchmarks). */
  idle(): Promise<void> {
    return this.#routing.idle();
  }

  /** Hands a site's cases to the shift on now, as the shift-change timer does (for tests and the CLI). */
  handOver(site: string, shift: string): Promise<number> {
    return this.#handover.handOver(site, shift);
  }

  async list(query: CaseListQuery): Promise<CaseDoc[]> {
    const scoped = this.#scope(query);
    if (scoped === undefined) return [];
    const rows = await this.#options.stores.operations.findCases<CaseDoc>(scoped);
    return rows.map((row) => row.doc);
  }

  async get(id: string): Promise<{ case: CaseDoc; history: CaseHistoryEntry[] } | undefined> {
    const doc = await this.#book.get(id);
    return doc === undefined ? undefined : { case: doc, history: await this.#options.stores.operations.caseHistory(id) };
  }

  async transition(id: string, input: CaseTransitionInput): Promise<CaseDoc> {
    return this.#change(id, (doc, now) => actionChange(doc, this.rules.get(doc.rule), input, now, { mayOwn: (user, area) => this.#mayOwn(user, area) }));
  }

  async comment(id: string, input: { actor: CaseTransitionInput['actor']; text: string }): Promise<CaseDoc> {
    return this.#change(id, (doc, now) => commentChange(doc, input.actor, input.text, now));
  }

  async attach(id: string, input: { actor: CaseTransitionInput['actor']; name: string; url?: string; documentId?: string }): Promise<CaseDoc> {
    return this.#change(id, (doc, now) => attachChange(doc, input.actor, input, now));
  }

  async metrics(query: { from: number; to: number; areas?: readonly string[] }): Promise<CaseMetrics> {
    const docs: CaseDoc[] = [];
    const base: CaseQuery = { openedFrom: query.from, openedTo: query.to, ...(query.areas === undefined ? {} : { areas: query.areas }) };
    for (let offset = 0; offset < MAX_METRIC_CASES; offset += PAGE) {
      const page = await this.#options.stores.operations.findCases<CaseDoc>({ ...base, limit: PAGE, offset });
      docs.push(...page.map((row) => row.doc));
      if (page.length < PAGE) break;
    }
    return caseMetrics(docs, query.from, query.to);
  }

  async #change(id: string, decide: (doc: CaseDoc, now: number) => CaseChange): Promise<CaseDoc> {
    const doc = await this.#book.update(id, (current, now) => (current === undefined ? undefined : decide(current, now)));
    if (doc === undefined) throw new NotFoundError('PF_ERR_CASE_NOT_FOUND', `no case ${id}`);
    return doc;
  }

  /** Runs a case timer's decision; a timer that decides nothing (met, stale, case gone) is simply cleared. */
  async #onCaseTimer(timer: DurableTimer, decide: (doc: CaseDoc, now: number) => CaseChange | undefined): Promise<void> {
    let decided = false;
    await this.#book.update(timer.ref, (doc, now) => {
      const change = doc === undefined ? undefined : decide(doc, now);
      decided = change !== undefined;
      return change;
    });
    if (!decided) await this.#book.commitOther({ timers: { clear: [timer.id] } });
  }

  #mayOwn(user: string, area: string | undefined): boolean {
    const config = (this.#options.plant.config.users ?? []).find((candidate) => candidate.id === user);
    return config !== undefined && config.grants.some((grant) => grant.areas.includes(ALL_AREAS) || (area !== undefined && grant.areas.includes(area)));
  }

  /** The store query for a list request, or undefined when the filters leave nothing the caller may see. */
  #scope(query: CaseListQuery): CaseQuery | undefined {
    let areas = query.areas;
    if (query.area !== undefined) {
      if (areas !== undefined && !areas.includes(query.area)) return undefined;
      areas = [query.area];
    }
    return {
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(areas === undefined ? {} : { areas }),
      ...(query.owner === undefined ? {} : { owner: query.owner }),
      ...(query.kind === undefined ? {} : { kind: query.kind }),
      ...(query.from === undefined ? {} : { openedFrom: query.from }),
      ...(query.to === undefined ? {} : { openedTo: query.to }),
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    };
  }

  async #gaugeFigures(): Promise<{ metrics: CaseMetrics; live: Record<string, number> }> {
    const now = this.#options.clock.now();
    const metrics = await this.metrics({ from: now - (this.#options.metricsWindowMs ?? WEEK_MS), to: now + 1 });
    const live: Record<string, number> = {};
    for (const status of CASE_STATUSES) {
      if (LIVE_CASE_STATUSES.includes(status)) live[status] = await this.#options.stores.operations.countCases({ status: [status] });
    }
    return { metrics, live };
  }
}


/** Builds the case operations over a core's stores, bus and pipeline. */
export function createCaseOperations(options: CaseOperationsOptions): CaseOperations {
  return new CaseOperations(options);
}
