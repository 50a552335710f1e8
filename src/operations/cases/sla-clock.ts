/**
 * SLA clocks and escalation as durable timers: each cycle of a case (its first life, then each reopen) arms a timer
 * per SLA target and per escalation tier that counts from the cycle's start; a timer that fires records the breach
 * and fires the tiers waiting on it. A tier fires once per cycle (the case remembers it), and each handler's commit
 * clears its own timer, so a restart in between neither loses nor repeats one. Pure: builds changes, writes nothing.
 */
import type { CaseAction, CaseDoc, CaseSla } from '../../core/cases.js';
import type { DurableTimer } from '../../core/operations-store.js';
import { formatDuration, SLA_TARGETS, type SlaTarget } from '../../core/routing-config.js';
import { iso, type CaseChange, type CaseNotice, type CaseStep } from './case-book.js';
import { recipientsOf, type ShiftRoster } from './owner-selection.js';
import type { CompiledRule, CompiledTier } from './rule-matcher.js';
import { verificationAt } from './lifecycle.js';

export const TIMER_KINDS = {
  sla: 'case.sla',
  escalation: 'case.escalation',
  verify: 'case.verify',
  hold: 'routing.hold',
  handover: 'shift.handover',
} as const;

/** The `ref` shared by every hold timer, so all of them are read back with one `timersFor` at start. */
export const HOLD_REF = 'routing.holds';
/** The `ref` of the per-site shift-change timers. */
export const HANDOVER_REF = 'shift.handovers';

export const SYSTEM_ACTOR = 'system';

export function slaTimerId(caseId: string, cycle: number, target: SlaTarget): string {
  return `case-sla:${caseId}:${cycle}:${target}`;
}

export function tierTimerId(caseId: string, cycle: number, index: number): string {
  return `case-esc:${caseId}:${cycle}:${index}`;
}

export function verifyTimerId(caseId: string): string {
  return `case-verify:${caseId}`;
}

/** The deadlines and timers of a cycle that starts at `start`. */
export function armCycle(doc: CaseDoc, rule: CompiledRule | undefined, start: number): { sla: CaseSla; timers: DurableTimer[] } {
  const sla: CaseSla = { breached: doc.sla.breached };
  const timers: DurableTimer[] = [];
  if (rule === undefined) return { sla, timers };
  for (const target of SLA_TARGETS) {
    const ms = rule.sla[target];
    if (ms === undefined || (target === 'assign' && doc.owner !== undefined)) continue;
    const deadline = start + ms;
    sla[`${target}By` as const] = iso(deadline);
    timers.push({ id: slaTimerId(doc.id, doc.cycle, target), dueAt: deadline, kind: TIMER_KINDS.sla, ref: doc.id, payload: { target, cycle: doc.cycle, deadline } });
  }
  for (const tier of rule.tiers) {
    if (typeof tier.after !== 'number') continue;
    timers.push({ id: tierTimerId(doc.id, doc.cycle, tier.index), dueAt: start + tier.after, kind: TIMER_KINDS.escalation, ref: doc.id, payload: { tier: tier.index, cycle: doc.cycle } });
  }
  return { sla, timers };
}

/** The current cycle's timers an action makes moot. */
export function timersMootAfter(action: CaseAction | 'assign', doc: CaseDoc, rule: CompiledRule | undefined): string[] {
  const ids = [slaTimerId(doc.id, doc.cycle, 'assign')];
  if (action === 'assign') return ids;
  ids.push(slaTimerId(doc.id, doc.cycle, 'acknowledge'));
  if (action === 'acknowledge' || action === 'start') return ids;
  ids.push(slaTimerId(doc.id, doc.cycle, 'resolve'));
  for (const tier of rule?.tiers ?? []) ids.push(tierTimerId(doc.id, doc.cycle, tier.index));
  if (action === 'close') ids.push(verifyTimerId(doc.id));
  return ids;
}

/** Whether the case met a target in its current cycle. */
export function slaMet(doc: CaseDoc, target: SlaTarget): boolean {
  switch (target) {
    case 'assign':
      return doc.owner !== undefined && doc.status !== 'open';
    case 'acknowledge':
      return doc.acknowledgedAt !== undefined || ['in-progress', 'resolved', 'closed'].includes(doc.status);
    case 'resolve':
      return doc.status === 'resolved' || doc.status === 'closed';
  }
}

/** Fires one tier into `doc` unless it already fired this cycle; appends its step and notice. */
export function fireTier(doc: CaseDoc, tier: CompiledTier, now: number, roster: ShiftRoster, steps: CaseStep[], notices: CaseNotice[]): CaseDoc {
  if (doc.escalations.some((done) => done.tier === tier.index && done.cycle === doc.cycle)) return doc;
  const notified = recipientsOf(tier.tier.notify, doc.area, now, roster);
  const after = typeof tier.after === 'number' ? formatDuration(tier.after) : tier.after;
  const watchers = tier.tier.add === true ? [...new Set([...doc.watchers, ...notified])].sort() : doc.watchers;
  steps.push({
    action: 'escalated',
    actor: SYSTEM_ACTOR,
    reason: typeof tier.after === 'number' ? `escalation tier ${tier.index + 1}: ${after} since opening` : `escalation tier ${tier.index + 1}: ${after} target missed`,
    data: { tier: tier.index, after, notified, added: tier.tier.add === true, cycle: doc.cycle },
    event: 'case.escalated',
  });
  notices.push({
    suffix: `escalated-${tier.index}`,
    kind: 'case.escalated',
    recipients: notified,
    title: `Escalated: ${doc.title}`,
    body: `Case ${doc.id} (${doc.status}${doc.owner === undefined ? ', no owner' : `, owner ${doc.owner}`}) escalated to you: ${after}.`,
    data: { tier: tier.index },
  });
  return { ...doc, watchers, escalations: [...doc.escalations, { tier: tier.index, after, at: iso(now), notified, cycle: doc.cycle }] };
}

/** What an SLA timer does when it fires: nothing when met (or stale), else a breach and the tiers waiting on it. */
export function breachChange(doc: CaseDoc, rule: CompiledRule | undefined, timer: DurableTimer, now: number, roster: ShiftRoster): CaseChange | undefined {
  const target = timer.payload?.['target'] as SlaTarget | undefined;
  const cycle = timer.payload?.['cycle'];
  const deadline = Number(timer.payload?.['deadline'] ?? timer.dueAt);
  if (target === undefined || cycle !== doc.cycle || doc.status === 'closed' || slaMet(doc, target)) return undefined;
  if (doc.sla.breached.some((breach) => breach.target === target && breach.cycle === doc.cycle)) return undefined;
  const steps: CaseStep[] = [
    {
      action: 'sla.breached',
      actor: SYSTEM_ACTOR,
      reason: `${target} target missed (deadline ${iso(deadline)})`,
      data: { target, deadline: iso(deadline), cycle: doc.cycle },
      event: 'case.sla.breached',
    },
  ];
  const notices: CaseNotice[] = [
    {
      suffix: `breached-${target}`,
      kind: 'case.sla.breached',
      recipients: [...new Set([...(doc.owner === undefined ? [] : [doc.owner]), ...doc.watchers])].sort(),
      title: `SLA missed (${target}): ${doc.title}`,
      body: `Case ${doc.id} missed its ${target} target, due ${iso(deadline)}.`,
      data: { target },
    },
  ];
  let next: CaseDoc = { ...doc, sla: { ...doc.sla, breached: [...doc.sla.breached, { target, deadline: iso(deadline), at: iso(now), cycle: doc.cycle }] } };
  for (const tier of rule?.tiers ?? []) if (tier.after === target) next = fireTier(next, tier, now, roster, steps, notices);
  return { doc: next, steps, notices, timers: { clear: [timer.id] } };
}

/** What a duration tier's timer does: fire, unless the case is resolved, closed, or in another cycle. */
export function tierChange(doc: CaseDoc, rule: CompiledRule | undefined, timer: DurableTimer, now: number, roster: ShiftRoster): CaseChange | undefined {
  const tier = rule?.tiers.find((candidate) => candidate.index === timer.payload?.['tier']);
  if (tier === undefined || timer.payload?.['cycle'] !== doc.cycle || doc.status === 'resolved' || doc.status === 'closed') return undefined;
  const steps: CaseStep[] = [];
  const notices: CaseNotice[] = [];
  const next = fireTier(doc, tier, now, roster, steps, notices);
  return steps.length === 0 ? undefined : { doc: next, steps, notices, timers: { clear: [timer.id] } };
}

/** When the verification window has passed for a resolved case: tell its owner it can be confirmed and closed. */
export function verifiedChange(doc: CaseDoc, timer: DurableTimer, now: number): CaseChange | undefined {
  if (doc.status !== 'resolved' || !verificationAt(doc, now).ok) return undefined;
  return {
    doc,
    steps: [{ action: 'verification.completed', actor: SYSTEM_ACTOR, reason: 'the condition stayed clear for the verification window' }],
    notices: [
      {
        suffix: 'verified',
        kind: 'case.verification.completed',
        recipients: doc.owner === undefined ? doc.watchers : [doc.owner],
        title: `Ready to close: ${doc.title}`,
        body: `Case ${doc.id} stayed clear for its verification window; confirm to close it.`,
      },
    ],
    timers: { clear: [timer.id] },
  };
}
