/**
 * The routing engine: reads stored events live from the bus (and, at start, whatever the log got since its last
 * checkpoint), keeps only the types some rule names (one Map lookup per event, before anything else), and turns the
 * rest into cases. Per correlation key it either merges into the key's case, runs a hold (condition must persist
 * for `holdFor`; kept as a durable timer so a restart does not forget it, cancelled by a clearing signal), or opens
 * a case at once. Work is serialised: one batch, or one hold firing, at a time.
 */
import type { CaseDoc } from '../../core/cases.js';
import type { Clock } from '../../core/clock.js';
import { describeError } from '../../core/errors.js';
import type { StoredEvent } from '../../core/event.js';
import type { EventBus } from '../../core/event-bus.js';
import type { DurableTimer, OperationsStore } from '../../core/operations-store.js';
import type { CheckpointStore, EventLog, Unsubscribe } from '../../core/store.js';
import type { CaseBook } from './case-book.js';
import type { CaseOpener, HeldSignals } from './case-opener.js';
import { signalsChange, signalTime, type Signal } from './case-signals.js';
import type { CompiledRule, RuleBook } from './rule-matcher.js';
import { HOLD_REF, TIMER_KINDS } from './sla-clock.js';

export const ROUTING_CONSUMER = 'operations:routing';
const PAGE = 1000;
const CHECKPOINT_EVERY_MS = 1000;

interface Hold extends HeldSignals {
  rule: string;
  key: string;
  dueAt: number;
}

export interface RoutingEngineDeps {
  rules: RuleBook;
  events: EventLog;
  checkpoints: CheckpointStore;
  bus: EventBus;
  store: OperationsStore;
  book: CaseBook;
  opener: CaseOpener;
  clock: Clock;
  onError(error: unknown): void;
}

function holdTimerId(key: string): string {
  return `routing-hold:${key}`;
}

export class RoutingEngine {
  readonly #deps: RoutingEngineDeps;
  /** Correlation key → the newest case of that key (null: known to have none). */
  readonly #index = new Map<string, string | null>();
  readonly #holds = new Map<string, Hold>();
  #queue: StoredEvent[] = [];
  #buffer: StoredEvent[] | undefined;
  #seen = 0;
  #processed = 0;
  #savedAt = 0;
  #saved = 0;
  #stopped = true;
  #draining: Promise<void> | undefined;
  #serial: Promise<unknown> = Promise.resolve();
  #unsubscribe: Unsubscribe | undefined;

  constructor(deps: RoutingEngineDeps) {
    this.#deps = deps;
  }

  /** Loads holds, catches up from the checkpoint (the log head on a first start), then follows the bus. */
  async start(): Promise<void> {
    this.#stopped = false;
    for (const timer of await this.#deps.store.timersFor(HOLD_REF)) {
      const hold = timer.payload?.['hold'] as Hold | undefined;
      if (hold !== undefined) this.#holds.set(hold.key, hold);
    }
    this.#buffer = [];
    this.#unsubscribe = this.#deps.bus.subscribe((events) => {
      if (this.#buffer !== undefined) this.#buffer.push(...events);
      else this.#accept(events);
    });
    const known = (await this.#deps.checkpoints.listCheckpoints()).some((entry) => entry.consumer === ROUTING_CONSUMER);
    // A first start routes from now on: history before routing existed opens no cases.
    this.#seen = known ? await this.#deps.checkpoints.getCheckpoint(ROUTING_CONSUMER) : await this.#deps.events.head();
    this.#processed = this.#seen;
    if (!known) await this.#saveCheckpoint(true);
    for (;;) {
      const page = await this.#deps.events.readFrom(this.#seen, PAGE);
      if (page.length === 0) break;
      this.#accept(page);
      await this.#draining;
    }
    const buffered = this.#buffer;
    this.#buffer = undefined;
    this.#accept(buffered);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    await this.#draining;
    await this.#serial;
    await this.#saveCheckpoint(true);
  }

  /** Resolves once every event seen so far has been routed (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining;
    await this.#serial;
  }

  /** The hold timer's handler: the condition held long enough, so its case opens. */
  async fireHold(timer: DurableTimer): Promise<void> {
    await this.#run(async () => {
      const key = timer.payload?.['hold'] === undefined ? undefined : (timer.payload['hold'] as Hold).key;
      const hold = key === undefined ? undefined : this.#holds.get(key);
      const rule = hold === undefined ? undefined : this.#deps.rules.get(hold.rule);
      if (hold === undefined || rule === undefined || hold.first.event.id !== (timer.payload?.['hold'] as Hold).first.event.id) {
        await this.#deps.book.commitOther({ timers: { clear: [timer.id] } });
        return;
      }
      const { doc } = await this.#deps.opener.open(rule, hold.key, hold, [timer.id]);
      this.#holds.delete(hold.key);
      if (doc !== undefined) this.#index.set(hold.key, doc.id);
    });
  }

  #accept(events: readonly StoredEvent[]): void {
    for (const event of events) {
      if (event.position <= this.#seen) continue;
      this.#seen = event.position;
      if (this.#deps.rules.forType(event.type).length > 0) this.#queue.push(event);
    }
    if (this.#queue.length === 0) this.#processed = this.#seen;
    this.#kick();
  }

  #kick(): void {
    if (this.#draining !== undefined || this.#stopped) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      if (this.#queue.length > 0) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0 && !this.#stopped) {
      const batch = this.#queue;
      this.#queue = [];
      await this.#run(() => this.#route(batch));
      this.#processed = this.#queue.length === 0 ? this.#seen : batch[batch.length - 1]!.position;
      await this.#saveCheckpoint(false);
    }
  }

  /** Runs work after whatever runs now (batches and hold firings never interleave). */
  #run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#serial.then(work, work);
    this.#serial = next.catch(() => undefined);
    return next;
  }

  async #saveCheckpoint(force: boolean): Promise<void> {
    const now = Date.now();
    if (this.#processed === this.#saved || (!force && now - this.#savedAt < CHECKPOINT_EVERY_MS)) return;
    try {
      await this.#deps.checkpoints.setCheckpoint(ROUTING_CONSUMER, this.#processed);
      this.#saved = this.#processed;
      this.#savedAt = now;
    } catch (error) {
      this.#deps.onError(error);
    }
  }

  /** Groups the batch's signals by rule and correlation key (in log order) and applies each group. */
  async #route(batch: readonly StoredEvent[]): Promise<void> {
    const now = this.#deps.clock.now();
    const groups = new Map<string, { rule: CompiledRule; signals: Signal[] }>();
    for (const event of batch) {
      for (const rule of this.#deps.rules.forType(event.type)) {
        const kind = rule.classify(event);
        if (kind === undefined) continue;
        const key = rule.keyOf(event);
        let group = groups.get(key);
        if (group === undefined) groups.set(key, (group = { rule, signals: [] }));
        group.signals.push({ kind, event, at: signalTime(event, now) });
      }
    }
    for (const [key, group] of groups) {
      try {
        await this.#applyGroup(group.rule, key, group.signals);
      } catch (error) {
        this.#deps.onError(new Error(`routing rule ${group.rule.id} failed for ${key}: ${describeError(error)}`, { cause: error }));
      }
    }
  }

  async #caseFor(key: string): Promise<string | undefined> {
    const known = this.#index.get(key);
    if (known !== undefined) return known ?? undefined;
    const [newest] = await this.#deps.store.findCases<CaseDoc>({ correlationKey: key, limit: 1 });
    this.#index.set(key, newest?.id ?? null);
    return newest?.id;
  }

  async #applyGroup(rule: CompiledRule, key: string, signals: readonly Signal[]): Promise<void> {
    const caseId = this.#holds.has(key) ? undefined : await this.#caseFor(key);
    if (caseId !== undefined && (await this.#mergeInto(caseId, rule, signals))) return;
    await this.#holdOrOpen(rule, key, signals);
  }

  /** Merges into the key's case; false when that case is closed and the signals came after its correlation window. */
  async #mergeInto(caseId: string, rule: CompiledRule, signals: readonly Signal[]): Promise<boolean> {
    let absorbed = true;
    await this.#deps.book.update(caseId, (doc, now) => {
      absorbed = doc !== undefined && (doc.status !== 'closed' || this.#withinWindow(doc, rule, signals));
      return doc === undefined || !absorbed ? undefined : signalsChange(doc, rule, signals, now);
    });
    return absorbed;
  }

  /** Whether a closed case takes these signals: the first new raising one came within the window after its last. */
  #withinWindow(doc: CaseDoc, rule: CompiledRule, signals: readonly Signal[]): boolean {
    const firstMatch = signals.find((signal) => signal.kind === 'match' && signal.event.position > doc.events.lastPosition);
    return firstMatch !== undefined && rule.windowMs > 0 && firstMatch.at - Date.parse(doc.events.last.at) <= rule.windowMs;
  }

  async #holdOrOpen(rule: CompiledRule, key: string, signals: readonly Signal[]): Promise<void> {
    const hadHold = this.#holds.has(key);
    let hold = this.#holds.get(key);
    for (let index = 0; index < signals.length; index += 1) {
      const signal = signals[index]!;
      if (hold !== undefined && signal.event.position <= hold.lastPosition) continue;
      if (signal.kind === 'match') {
        if (hold !== undefined) {
          hold = { ...hold, last: signal, count: hold.count + 1, recent: [...hold.recent, signal.event.id].slice(-20), lastPosition: signal.event.position };
        } else if (rule.holdForMs !== undefined) {
          hold = { rule: rule.id, key, first: signal, last: signal, count: 1, recent: [signal.event.id], lastPosition: signal.event.position, dueAt: signal.at + rule.holdForMs };
        } else {
          await this.#openWith(rule, key, { first: signal, last: signal, count: 1, recent: [signal.event.id], lastPosition: signal.event.position }, signals.slice(index + 1), hadHold);
          return;
        }
      } else if (hold !== undefined) {
        if (signal.at >= hold.dueAt) {
          // The clear came after the hold had already run out (read late, e.g. at a restart): the case was due.
          await this.#openWith(rule, key, hold, signals.slice(index), true);
          return;
        }
        hold = undefined;
      }
    }
    if (hold !== undefined) {
      this.#holds.set(key, hold);
      await this.#deps.book.commitOther({ timers: { set: [{ id: holdTimerId(key), dueAt: hold.dueAt, kind: TIMER_KINDS.hold, ref: HOLD_REF, payload: { hold } }] } });
    } else if (hadHold) {
      this.#holds.delete(key);
      await this.#deps.book.commitOther({ timers: { clear: [holdTimerId(key)] } });
    }
  }

  async #openWith(rule: CompiledRule, key: string, held: HeldSignals, rest: readonly Signal[], clearHold: boolean): Promise<void> {
    const { doc } = await this.#deps.opener.open(rule, key, held, clearHold ? [holdTimerId(key)] : []);
    this.#holds.delete(key);
    if (doc === undefined) return;
    this.#index.set(key, doc.id);
    if (rest.length > 0) await this.#deps.book.update(doc.id, (current, now) => (current === undefined ? undefined : signalsChange(current, rule, rest, now)));
  }
}
