/**
 * The urgency of a signal, 0–100, as a sum of points with a reason each (docs/api.md#urgency), so a person can see
 * why a case ranks where it does. Pure: the same facts always give the same score.
 *
 * | factor          | points                                                                         |
 * | --------------- | ------------------------------------------------------------------------------ |
 * | severity        | low 5, medium 15, high 30, critical 45; none given 0                            |
 * | safety          | 30 when flagged                                                                 |
 * | slack           | least slack among affected orders: ≤ 0 min → 25, ≥ 480 min → 0, linear between |
 * | affected-orders | 5 per distinct order, at most 15                                                |
 * | running-order   | 10 when an order is running on the equipment                                    |
 *
 * The sum is capped at 100. Level: ≥ 75 critical, ≥ 50 high, ≥ 25 medium, else low.
 */
import type { Severity, Urgency, UrgencyFactor } from '../../core/context.js';

export const SEVERITY_POINTS: Readonly<Record<Severity, number>> = { low: 5, medium: 15, high: 30, critical: 45 };
export const SAFETY_POINTS = 30;
export const SLACK_POINTS = 25;
/** Slack at or beyond this many minutes (one shift) adds nothing. */
export const SLACK_HORIZON_MINUTES = 480;
export const POINTS_PER_ORDER = 5;
export const ORDER_POINTS_MAX = 15;
export const RUNNING_POINTS = 10;

export interface UrgencyInput {
  severity?: Severity;
  safety?: boolean;
  /** The least slack among the affected orders that have a due date, and whose it is. */
  leastSlack?: { minutes: number; workOrder: string };
  /** Distinct orders affected (running, downstream and queued together). */
  affectedOrders: number;
  /** The order running on the equipment, if any. */
  runningOrder?: string;
}

/** The level a score falls in. */
export function levelOf(score: number): Severity {
  if (score >= 75) return 'critical';
  if (score >= 50) return 'high';
  if (score >= 25) return 'medium';
  return 'low';
}

/** Points for the least slack: full when late already, none beyond the horizon, linear in between, rounded. */
export function slackPoints(minutes: number): number {
  if (minutes <= 0) return SLACK_POINTS;
  if (minutes >= SLACK_HORIZON_MINUTES) return 0;
  return Math.round((SLACK_POINTS * (SLACK_HORIZON_MINUTES - minutes)) / SLACK_HORIZON_MINUTES);
}

/** Scores the facts of a signal and explains the score in one sentence. */
export function scoreUrgency(input: UrgencyInput): Urgency {
  const orders = Math.max(0, input.affectedOrders);
  const slack = input.leastSlack;
  const factors: UrgencyFactor[] = [
    {
      factor: 'severity',
      points: input.severity === undefined ? 0 : SEVERITY_POINTS[input.severity],
      note: input.severity === undefined ? 'no severity given' : `${input.severity} severity`,
    },
    { factor: 'safety', points: input.safety === true ? SAFETY_POINTS : 0, note: input.safety === true ? 'safety flagged' : 'no safety flag' },
    {
      factor: 'slack',
      points: slack === undefined ? 0 : slackPoints(slack.minutes),
      note: slack === undefined ? 'no due date at stake' : slack.minutes < 0 ? `${slack.workOrder} already ${-slack.minutes} min late` : `least slack ${slack.minutes} min (${slack.workOrder})`,
    },
    {
      factor: 'affected-orders',
      points: Math.min(ORDER_POINTS_MAX, POINTS_PER_ORDER * orders),
      note: orders === 0 ? 'no order affected' : `${orders} order${orders === 1 ? '' : 's'} affected`,
    },
    {
      factor: 'running-order',
      points: input.runningOrder === undefined ? 0 : RUNNING_POINTS,
      note: input.runningOrder === undefined ? 'no order running' : `${input.runningOrder} running on this equipment`,
    },
  ];
  const score = Math.min(100, factors.reduce((sum, factor) => sum + factor.points, 0));
  const level = levelOf(score);
  return { score, level, factors, explanation: explain(score, level, factors) };
}

function explain(score: number, level: Severity, factors: readonly UrgencyFactor[]): string {
  const scoring = factors.filter((factor) => factor.points > 0).sort((a, b) => b.points - a.points);
  const notes = (scoring.length > 0 ? scoring : factors.filter((factor) => factor.factor !== 'slack' && factor.factor !== 'running-order')).map((factor) => factor.note);
  return `Urgency ${score} (${level}): ${joinWithAnd(notes)}.`;
}

function joinWithAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`;
}
