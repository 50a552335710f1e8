/**
 * What signals do to cases: the first opens one (with its owner, context, SLA clocks and escalation timers), later
 * ones with the same correlation key merge into it and are counted (ISA-18.2 flood and chattering), clearing
 * signals mark the condition clear (starting the verification window), and a recurrence of a resolved case reopens
 * it. Pure: builds changes, writes nothing.
 */
import type { CaseDoc, CaseEventRef } from '../../core/cases.js';
import type { Severity, SignalContext } from '../../core/context.js';
import type { StoredEvent } from '../../core/event.js';
import { contentId } from '../../core/pipeline/event-id.js';
import { iso, type CaseChange, type CaseNotice, type CaseStep } from './case-book.js';
import { statusAfter } from './lifecycle.js';
import type { CompiledRule, SignalKind } from './rule-matcher.js';
import { armCycle, SYSTEM_ACTOR, timersMootAfter, TIMER_KINDS, verifyTimerId } from './sla-clock.js';

export interface Signal {
  kind: SignalKind;
  event: StoredEvent;
  /** When it happened (occurredAt, never later than now), epoch ms. */
  at: number;
}

const RECENT = 20;
const SEVERITY_SCORE: Record<Severity, number> = { low: 20, medium: 45, high: 70, critical: 90 };

/** The event's time, but never in the future of plant time (a device clock running ahead must not stretch holds). */
export function signalTime(event: StoredEvent, now: number): number {
  const at = Date.parse(event.occurredAt);
  return Number.isNaN(at) ? now : Math.min(at, now);
}

/** The case id: the rule, the correlation key and the first event, so opening twice after a restart opens once. */
export function caseIdFor(rule: string, key: string, firstEventId: string): string {
  return contentId('case', { rule, key, first: firstEventId });
}

function ref(signal: Signal): CaseEventRef {
  return { id: signal.event.id, at: iso(signal.at), type: signal.event.type };
}

export interface OpeningInput {
  id: string;
  rule: CompiledRule;
  key: string;
  /** The raising signals so far, oldest first (one, or those merged while a hold ran). */
  first: Signal;
  last: Signal;
  count: number;
  recent: readonly string[];
  lastPosition: number;
  now: number;
  site?: string;
  area?: string;
  context?: SignalContext;
  contextError?: string;
  owner?: { user: string; role: string; area: string; shift: string; step: number };
  /** Told that a case opened with no owner (supervisors of the area). */
  unassignedNotify: string[];
  /** Timers to clear with the opening (the hold that led to it). */
  clearTimers?: string[];
}

/** The change that opens a case and, when someone is on duty, assigns it in the same commit. */
export function openingChange(input: OpeningInput): CaseChange {
  const { rule, first, now } = input;
  const severity = rule.rule.case.severity;
  const workOrder = first.event.subject.workOrder ?? input.context?.running?.workOrder;
  const urgency = input.context?.urgency ?? { score: SEVERITY_SCORE[severity], level: severity, explanation: `severity ${severity} (no context resolved)` };
  const draft: CaseDoc = {
    id: input.id,
    rule: rule.id,
    kind: rule.rule.case.kind,
    title: rule.title(first.event),
    severity,
    safety: rule.rule.case.safety === true,
    status: input.owner === undefined ? 'open' : 'assigned',
    ...(input.site === undefined ? {} : { site: input.site }),
    ...(input.area === undefined ? {} : { area: input.area }),
    ...(first.event.subject.equipment === undefined ? {} : { equipment: first.event.subject.equipment }),
    ...(workOrder === undefined ? {} : { workOrder }),
    ...(input.owner === undefined ? {} : { owner: input.owner.user, assignedAt: iso(now) }),
    watchers: [],
    correlationKey: input.key,
    revision: 0,
    cycle: 0,
    reopenCount: 0,
    openedAt: iso(now),
    updatedAt: iso(now),
    first: input.owner === undefined ? {} : { assignedAt: iso(now) },
    events: { first: ref(first), last: ref(input.last), count: input.count, recent: input.recent.slice(-RECENT), lastPosition: input.lastPosition },
    ...(rule.tracksCondition ? { condition: { active: true, since: iso(first.at) } } : {}),
    ...(rule.verifyMs === undefined ? {} : { verification: { windowMs: rule.verifyMs } }),
    ...(input.context === undefined ? {} : { context: input.context }),
    ...(input.contextError === undefined ? {} : { contextError: input.contextError }),
    urgency: { score: urgency.score, level: urgency.level, explanation: urgency.explanation },
    sla: { breached: [] },
    escalations: [],
    comments: [],
    attachments: [],
    handovers: [],
  };
  const armed = armCycle(draft, rule, now);
  const doc: CaseDoc = { ...draft, sla: armed.sla };
  const steps: CaseStep[] = [
    {
      action: 'opened',
      actor: SYSTEM_ACTOR,
      reason: `rule ${rule.id}${rule.holdForMs === undefined ? '' : ` (held ${rule.rule.holdFor})`}`,
      data: { rule: rule.id, kind: doc.kind, severity, key: input.key, trigger: first.event.id, count: input.count, urgency: doc.urgency.score },
      event: 'case.opened',
    },
  ];
  const notices: CaseNotice[] = [];
  if (input.owner !== undefined) {
    const via = input.owner.step === 0 ? `${input.owner.role} on duty in ${input.owner.area}` : `fallback ${input.owner.step}: ${input.owner.role} in ${input.owner.area}`;
    steps.push({ action: 'assigned', actor: SYSTEM_ACTOR, reason: `${via}, shift ${input.owner.shift}`, data: { owner: input.owner.user, trigger: first.event.id, shift: input.owner.shift, fallbackStep: input.owner.step }, event: 'case.assigned' });
    notices.push({ suffix: 'assigned', kind: 'case.assigned', recipients: [input.owner.user], title: `New case: ${doc.title}`, body: `Case ${doc.id} (${severity}) was assigned to you: ${doc.urgency.explanation}`, data: { trigger: first.event.id } });
  } else {
    notices.push({ suffix: 'unassigned', kind: 'case.opened', recipients: input.unassignedNotify, title: `Unassigned case: ${doc.title}`, body: `Case ${doc.id} (${severity}) opened and nobody of the owner's role is on duty; assign it.` });
  }
  return { doc, steps, notices, timers: { set: armed.timers, ...(input.clearTimers === undefined ? {} : { clear: input.clearTimers }) } };
}

/** Reopens a case in a new cycle: SLA clocks restart, the verification resets, the owner (if any) is told. */
export function reopenInto(doc: CaseDoc, rule: CompiledRule | undefined, now: number, actor: string, reason: string, steps: CaseStep[], notices: CaseNotice[]): { doc: CaseDoc; set: CaseChange['timers'] } {
  const moot = timersMootAfter('close', doc, rule);
  const { resolvedAt: _resolved, closedAt: _closed, acknowledgedAt: _acknowledged, startedAt: _started, resolution: _resolution, ...rest } = doc;
  const status = statusAfter('reopen', doc);
  const base: CaseDoc = {
    ...rest,
    status,
    cycle: doc.cycle + 1,
    reopenCount: doc.reopenCount + 1,
    ...(doc.verification === undefined ? {} : { verification: { windowMs: doc.verification.windowMs } }),
  };
  const armed = armCycle(base, rule, now);
  steps.push({ action: 'reopened', actor, reason, data: { from: doc.status, to: status, cycle: base.cycle }, event: 'case.reopened' });
  notices.push({
    suffix: 'reopened',
    kind: 'case.reopened',
    recipients: [...new Set([...(doc.owner === undefined ? [] : [doc.owner]), ...doc.watchers])].sort(),
    title: `Reopened: ${doc.title}`,
    body: `Case ${doc.id} was reopened: ${reason}.`,
  });
  return { doc: { ...base, sla: armed.sla }, set: { set: armed.timers, clear: moot } };
}

/**
 * Merges signals into an existing case: counts raising ones, tracks the condition, and reopens a resolved case (or a
 * closed one the caller found inside the correlation window) when the condition recurs. Signals at or before the
 * case's last position were applied before a restart and are skipped.
 */
export function signalsChange(current: CaseDoc, rule: CompiledRule | undefined, signals: readonly Signal[], now: number): CaseChange | undefined {
  let doc = current;
  const steps: CaseStep[] = [];
  const notices: CaseNotice[] = [];
  const set: NonNullable<CaseChange['timers']> = { set: [], clear: [] };
  let changed = false;
  for (const signal of signals) {
    if (signal.event.position <= doc.events.lastPosition) continue;
    changed = true;
    const events = { ...doc.events, lastPosition: signal.event.position };
    if (signal.kind === 'match') {
      doc = { ...doc, events: { ...events, last: ref(signal), count: events.count + 1, recent: [...events.recent, signal.event.id].slice(-RECENT) } };
      const wasClear = doc.condition !== undefined && !doc.condition.active;
      if (doc.condition !== undefined && wasClear) {
        doc = { ...doc, condition: { active: true, since: iso(signal.at) }, ...(doc.verification === undefined ? {} : { verification: { windowMs: doc.verification.windowMs } }) };
        set.clear!.push(verifyTimerId(doc.id));
      }
      if (doc.status === 'resolved' || doc.status === 'closed') {
        const reason = doc.status === 'closed' ? `the signal recurred within the correlation window (${signal.event.type})` : `the condition recurred before verification (${signal.event.type})`;
        const reopened = reopenInto(doc, rule, now, SYSTEM_ACTOR, reason, steps, notices);
        doc = reopened.doc;
        set.set!.push(...(reopened.set?.set ?? []));
        set.clear!.push(...(reopened.set?.clear ?? []));
      }
    } else {
      doc = { ...doc, events };
      if (doc.condition?.active !== true) continue;
      doc = { ...doc, condition: { active: false, since: iso(signal.at) } };
      if (doc.verification !== undefined) {
        const completesAt = signal.at + doc.verification.windowMs;
        doc = { ...doc, verification: { ...doc.verification, completesAt: iso(completesAt) } };
        if (doc.status === 'resolved') set.set!.push({ id: verifyTimerId(doc.id), dueAt: completesAt, kind: TIMER_KINDS.verify, ref: doc.id, payload: { completesAt } });
      }
      // While a case is resolved, its condition's comings and goings are the evidence for (or against) closing it.
      if (doc.status === 'resolved') steps.push({ action: 'condition.cleared', actor: SYSTEM_ACTOR, reason: `${signal.event.type} ${signal.event.id}`, data: { at: iso(signal.at) } });
    }
  }
  if (!changed) return undefined;
  const timers = set.set!.length > 0 || set.clear!.length > 0 ? { timers: set } : {};
  return { doc, steps, notices, ...timers };
}
