/**
 * The case lifecycle as data: which action leads from which status to which, who may take it, and when a resolved
 * case may be closed (verified closure). Pure, so the table is tested alone and the API and docs agree with it.
 *
 *   open → assigned → acknowledged → in-progress → resolved → closed
 *            ↑  (reassign from any live status)        │  ↑        │
 *            └──────────── reopen (by hand, or the condition recurs) ┘
 */
import { ALL_AREAS, type Principal } from '../../core/access.js';
import type { CaseAction, CaseDoc, CaseStatus } from '../../core/cases.js';
import { NotAllowedError, PlantfabricError } from '../../core/errors.js';

/** The relations that entitle someone to move a case. */
export type Authority = 'owner' | 'supervisor' | 'admin';

export interface Transition {
  from: readonly CaseStatus[];
  who: readonly Authority[];
}

/** Who may do what from where. Admin may do everything; acknowledging and starting are the owner's own words. */
export const TRANSITIONS: Readonly<Record<CaseAction, Transition>> = {
  assign: { from: ['open', 'assigned', 'acknowledged', 'in-progress'], who: ['owner', 'supervisor', 'admin'] },
  acknowledge: { from: ['assigned'], who: ['owner', 'admin'] },
  start: { from: ['assigned', 'acknowledged'], who: ['owner', 'admin'] },
  resolve: { from: ['assigned', 'acknowledged', 'in-progress'], who: ['owner', 'supervisor', 'admin'] },
  close: { from: ['resolved'], who: ['owner', 'supervisor', 'admin'] },
  reopen: { from: ['resolved', 'closed'], who: ['owner', 'supervisor', 'admin'] },
};

/** The status an action leads to; a reopened case without an owner goes back to open. */
export function statusAfter(action: CaseAction, doc: Pick<CaseDoc, 'owner'>): CaseStatus {
  switch (action) {
    case 'assign':
      return 'assigned';
    case 'acknowledge':
      return 'acknowledged';
    case 'start':
      return 'in-progress';
    case 'resolve':
      return 'resolved';
    case 'close':
      return 'closed';
    case 'reopen':
      return doc.owner === undefined ? 'open' : 'assigned';
  }
}

/** The actions a status allows (whoever asks). */
export function actionsFrom(status: CaseStatus): CaseAction[] {
  return (Object.keys(TRANSITIONS) as CaseAction[]).filter((action) => TRANSITIONS[action].from.includes(status));
}

/** The relations an actor has to a case: its owner, a supervisor of its area, an admin. */
export function authorityOf(actor: Pick<Principal, 'userId' | 'grants'>, doc: Pick<CaseDoc, 'owner' | 'area'>): Set<Authority> {
  const found = new Set<Authority>();
  if (doc.owner !== undefined && doc.owner === actor.userId) found.add('owner');
  for (const grant of actor.grants) {
    if (grant.role === 'admin') found.add('admin');
    const coversArea = grant.areas.includes(ALL_AREAS) || (doc.area !== undefined && grant.areas.includes(doc.area));
    if (grant.role === 'supervisor' && coversArea) found.add('supervisor');
  }
  return found;
}

/**
 * Checks that `actor` may take `action` on the case now and returns the status it leads to.
 * @throws PF_ERR_CASE_TRANSITION when the status does not allow the action; PF_ERR_ACCESS_DENIED when the actor is
 * not entitled
 */
export function checkTransition(action: CaseAction, doc: Pick<CaseDoc, 'id' | 'status' | 'owner' | 'area'>, actor: Pick<Principal, 'userId' | 'grants'>): CaseStatus {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(doc.status)) {
    throw new PlantfabricError('PF_ERR_CASE_TRANSITION', `case ${doc.id} is ${doc.status}: it cannot be ${action === 'close' ? 'closed' : `given '${action}'`} from there`, {
      details: { status: doc.status, action, allowed: actionsFrom(doc.status) },
    });
  }
  const authority = authorityOf(actor, doc);
  if (!transition.who.some((who) => authority.has(who))) {
    throw new NotAllowedError(`${actor.userId} may not ${action} case ${doc.id}: only ${transition.who.join(', ')} may`, {
      details: { action, who: transition.who, owner: doc.owner, area: doc.area },
    });
  }
  return statusAfter(action, doc);
}

export type Verification =
  | { ok: true }
  | { ok: false; reason: 'condition-active' }
  | { ok: false; reason: 'window-not-passed'; completesAt: number };

/**
 * Whether a resolved case may be closed at `now`: its condition must be clear (rules with a `clear`), and have been
 * for the verification window. Without a `clear`, the window counts from the last signal merged into the case.
 */
export function verificationAt(doc: Pick<CaseDoc, 'condition' | 'verification' | 'events'>, now: number): Verification {
  if (doc.condition?.active === true) return { ok: false, reason: 'condition-active' };
  if (doc.verification === undefined) return { ok: true };
  const clearSince = Date.parse(doc.condition?.since ?? doc.events.last.at);
  const completesAt = clearSince + doc.verification.windowMs;
  return now >= completesAt ? { ok: true } : { ok: false, reason: 'window-not-passed', completesAt };
}

/**
 * Refuses to close a case that has not been verified, saying why and from when it can be.
 * @throws PF_ERR_CASE_NOT_VERIFIED
 */
export function assertVerified(doc: Pick<CaseDoc, 'id' | 'condition' | 'verification' | 'events'>, now: number): void {
  const verification = verificationAt(doc, now);
  if (verification.ok) return;
  if (verification.reason === 'condition-active') {
    throw new PlantfabricError('PF_ERR_CASE_NOT_VERIFIED', `case ${doc.id} cannot be closed: its condition is still active; it can be closed once the condition has stayed clear for the verification window`, {
      details: { reason: verification.reason, ...(doc.verification === undefined ? {} : { windowMs: doc.verification.windowMs }) },
    });
  }
  const completesAt = new Date(verification.completesAt).toISOString();
  throw new PlantfabricError('PF_ERR_CASE_NOT_VERIFIED', `case ${doc.id} cannot be closed before ${completesAt}: its condition must stay clear for the verification window first`, {
    details: { reason: verification.reason, completesAt, windowMs: doc.verification?.windowMs },
  });
}
