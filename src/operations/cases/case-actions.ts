/**
 * What people do to cases (the API): assign, acknowledge, start, resolve, close (verified), reopen, comment and
 * attach. Each builds one change with its history, audit, timers and notifications after the lifecycle table has
 * said the step is allowed, and by whom. Pure: builds changes, writes nothing.
 */
import type { Principal } from '../../core/access.js';
import type { CaseDoc, CaseTransitionInput } from '../../core/cases.js';
import { InputError } from '../../core/errors.js';
import { iso, type CaseChange, type CaseNotice, type CaseStep } from './case-book.js';
import { reopenInto } from './case-signals.js';
import { assertVerified, checkTransition } from './lifecycle.js';
import type { CompiledRule } from './rule-matcher.js';
import { TIMER_KINDS, timersMootAfter, verifyTimerId } from './sla-clock.js';

/** Who can be made owner of a case in an area. */
export interface OwnerCheck {
  mayOwn(user: string, area: string | undefined): boolean;
}

const MAX_TEXT = 10_000;

function others(doc: CaseDoc, actor: string): string[] {
  return [...new Set([...(doc.owner === undefined ? [] : [doc.owner]), ...doc.watchers])].filter((user) => user !== actor).sort();
}

/** The change of a lifecycle action, after checking status and authority. */
export function actionChange(doc: CaseDoc, rule: CompiledRule | undefined, input: CaseTransitionInput, now: number, owners: OwnerCheck): CaseChange {
  const { action, actor } = input;
  checkTransition(action, doc, actor);
  const steps: CaseStep[] = [];
  const notices: CaseNotice[] = [];
  const reason = input.reason;
  const at = iso(now);
  const base = { actor: actor.userId, ...(reason === undefined ? {} : { reason }) };
  switch (action) {
    case 'assign': {
      const owner = input.owner;
      if (owner === undefined) throw new InputError('PF_ERR_REQUEST_INVALID', 'assign needs the new owner: { "owner": "<user id>" }');
      if (!owners.mayOwn(owner, doc.area)) throw new InputError('PF_ERR_REQUEST_INVALID', `${owner} cannot own case ${doc.id}: no such user with a grant in ${doc.area ?? 'the plant'}`);
      const { acknowledgedAt: _acknowledged, startedAt: _started, ...rest } = doc;
      const next: CaseDoc = { ...rest, owner, status: 'assigned', assignedAt: at, first: { ...doc.first, assignedAt: doc.first.assignedAt ?? at } };
      steps.push({ ...base, action: 'assigned', data: { owner, ...(doc.owner === undefined ? {} : { previous: doc.owner }) }, event: 'case.assigned' });
      notices.push({ suffix: 'assigned', kind: 'case.assigned', recipients: owner === actor.userId ? [] : [owner], title: `Assigned to you: ${doc.title}`, body: `${actor.userId} assigned case ${doc.id} to you${reason === undefined ? '' : `: ${reason}`}.` });
      return { doc: next, steps, notices, timers: { clear: timersMootAfter('assign', doc, rule) } };
    }
    case 'acknowledge': {
      const next: CaseDoc = { ...doc, status: 'acknowledged', acknowledgedAt: at, first: { ...doc.first, acknowledgedAt: doc.first.acknowledgedAt ?? at } };
      steps.push({ ...base, action: 'acknowledged', event: 'case.acknowledged' });
      return { doc: next, steps, timers: { clear: timersMootAfter('acknowledge', doc, rule) } };
    }
    case 'start': {
      const acknowledgedAt = doc.acknowledgedAt ?? at;
      const next: CaseDoc = { ...doc, status: 'in-progress', startedAt: at, acknowledgedAt, first: { ...doc.first, acknowledgedAt: doc.first.acknowledgedAt ?? acknowledgedAt } };
      steps.push({ ...base, action: 'started', event: 'case.started' });
      return { doc: next, steps, timers: { clear: timersMootAfter('start', doc, rule) } };
    }
    case 'resolve': {
      let next: CaseDoc = {
        ...doc,
        status: 'resolved',
        resolvedAt: at,
        first: { ...doc.first, resolvedAt: doc.first.resolvedAt ?? at },
        ...(input.resolution === undefined ? {} : { resolution: input.resolution.slice(0, MAX_TEXT) }),
      };
      const set = [];
      if (next.verification !== undefined && next.condition?.active !== true) {
        const completesAt = Date.parse(next.condition?.since ?? next.events.last.at) + next.verification.windowMs;
        next = { ...next, verification: { ...next.verification, completesAt: iso(completesAt) } };
        if (completesAt > now) set.push({ id: verifyTimerId(doc.id), dueAt: completesAt, kind: TIMER_KINDS.verify, ref: doc.id, payload: { completesAt } });
      }
      steps.push({ ...base, action: 'resolved', data: { conditionActive: next.condition?.active === true, ...(next.verification?.completesAt === undefined ? {} : { verifiedFrom: next.verification.completesAt }), ...(input.resolution === undefined ? {} : { resolution: input.resolution.slice(0, MAX_TEXT) }) }, event: 'case.resolved' });
      notices.push({ suffix: 'resolved', kind: 'case.resolved', recipients: others(doc, actor.userId), title: `Resolved: ${doc.title}`, body: `${actor.userId} resolved case ${doc.id}; it closes once verified and confirmed.` });
      return { doc: next, steps, notices, timers: { set, clear: timersMootAfter('resolve', doc, rule) } };
    }
    case 'close': {
      assertVerified(doc, now);
      const next: CaseDoc = { ...doc, status: 'closed', closedAt: at };
      steps.push({ ...base, action: 'closed', data: { confirmedBy: actor.userId }, event: 'case.closed' });
      notices.push({ suffix: 'closed', kind: 'case.closed', recipients: others(doc, actor.userId), title: `Closed: ${doc.title}`, body: `${actor.userId} confirmed and closed case ${doc.id}.` });
      return { doc: next, steps, notices, timers: { clear: timersMootAfter('close', doc, rule) } };
    }
    case 'reopen': {
      const reopened = reopenInto(doc, rule, now, actor.userId, reason ?? `reopened by ${actor.userId}`, steps, notices);
      return { doc: reopened.doc, steps, notices, ...(reopened.set === undefined ? {} : { timers: reopened.set }) };
    }
  }
}

/** A comment: kept in the case, in its history and the audit ledger, announced on the log and to the owner and watchers. */
export function commentChange(doc: CaseDoc, actor: Principal, text: string, now: number): CaseChange {
  const comment = { id: `comment-${doc.revision + 1}`, at: iso(now), author: actor.userId, text: text.slice(0, MAX_TEXT) };
  return {
    doc: { ...doc, comments: [...doc.comments, comment] },
    steps: [{ action: 'commented', actor: actor.userId, data: { author: actor.userId, comment: comment.id, text: comment.text }, event: 'case.commented' }],
    notices: [{ suffix: 'commented', kind: 'case.commented', recipients: others(doc, actor.userId), title: `Comment on ${doc.title}`, body: `${actor.userId}: ${comment.text.slice(0, 500)}` }],
  };
}

/** An attachment by reference: a name and a URL or another system's document id, never the bytes. */
export function attachChange(doc: CaseDoc, actor: Principal, attachment: { name: string; url?: string; documentId?: string }, now: number): CaseChange {
  if (attachment.url === undefined && attachment.documentId === undefined) {
    throw new InputError('PF_ERR_REQUEST_INVALID', 'an attachment needs a url or a documentId');
  }
  const entry = {
    id: `attachment-${doc.revision + 1}`,
    at: iso(now),
    author: actor.userId,
    name: attachment.name,
    ...(attachment.url === undefined ? {} : { url: attachment.url }),
    ...(attachment.documentId === undefined ? {} : { documentId: attachment.documentId }),
  };
  return {
    doc: { ...doc, attachments: [...doc.attachments, entry] },
    steps: [{ action: 'attachment.added', actor: actor.userId, data: { attachment: entry.id, name: entry.name, ...(entry.url === undefined ? {} : { url: entry.url }), ...(entry.documentId === undefined ? {} : { documentId: entry.documentId }) } }],
  };
}
