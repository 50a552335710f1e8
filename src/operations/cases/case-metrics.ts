/**
 * Case metrics over the cases opened in a time range: time to first assignment, to acknowledge and to resolve
 * (p50, p90, mean, in seconds), the share of cases with an SLA breach, the reopen rate, and counts per area, kind
 * and status. Pure: the service reads the cases, this counts.
 */
import type { CaseDoc, CaseMetrics, Percentiles } from '../../core/cases.js';
import type { MetricsRegistry } from '../../core/metrics.js';

/** Nearest-rank percentile of sorted values. */
function rank(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: null, p90: null, mean: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { count: sorted.length, p50: rank(sorted, 50), p90: rank(sorted, 90), mean };
}

function seconds(from: string, to: string | undefined): number | undefined {
  return to === undefined ? undefined : Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
}

function tally(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The metrics of these cases (already limited to the range and the caller's areas). */
export function caseMetrics(cases: readonly CaseDoc[], from: number, to: number): CaseMetrics {
  const assign: number[] = [];
  const acknowledge: number[] = [];
  const resolve: number[] = [];
  const byArea: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  let breached = 0;
  let reopened = 0;
  for (const doc of cases) {
    for (const [list, at] of [[assign, doc.first.assignedAt], [acknowledge, doc.first.acknowledgedAt], [resolve, doc.first.resolvedAt]] as const) {
      const value = seconds(doc.openedAt, at);
      if (value !== undefined) list.push(value);
    }
    if (doc.sla.breached.length > 0) breached += 1;
    if (doc.reopenCount > 0) reopened += 1;
    tally(byArea, doc.area ?? 'none');
    tally(byKind, doc.kind);
    tally(byStatus, doc.status);
  }
  const rate = (count: number): number | null => (cases.length === 0 ? null : count / cases.length);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    opened: cases.length,
    timeToFirstAssignment: percentiles(assign),
    timeToAcknowledge: percentiles(acknowledge),
    timeToResolve: percentiles(resolve),
    slaBreachRate: rate(breached),
    reopenRate: rate(reopened),
    byArea,
    byKind,
    byStatus,
  };
}

/**
 * The same figures as Prometheus gauges, computed at scrape time over the last `windowMs` of plant time.
 * Names: pf_cases_opened_by_area{area}, pf_cases_opened_by_kind{kind}, pf_case_time_to_seconds{stage,stat}, pf_case_sla_breach_ratio,
 * pf_case_reopen_ratio, pf_cases_live{status}.
 */
export function registerCaseGauges(metrics: MetricsRegistry, read: () => Promise<{ metrics: CaseMetrics; live: Record<string, number> }>): void {
  // One read serves every gauge of the same scrape.
  let pending: Promise<{ metrics: CaseMetrics; live: Record<string, number> }> | undefined;
  const once = (): Promise<{ metrics: CaseMetrics; live: Record<string, number> }> => {
    pending ??= read().finally(() => setTimeout(() => (pending = undefined), 0).unref());
    return pending;
  };
  metrics.collectGauge('pf_cases_opened_by_area', 'Cases opened in the metrics window, by area.', async () =>
    Object.entries((await once()).metrics.byArea).map(([area, value]) => ({ labels: { area }, value })),
  );
  metrics.collectGauge('pf_cases_opened_by_kind', 'Cases opened in the metrics window, by kind.', async () =>
    Object.entries((await once()).metrics.byKind).map(([kind, value]) => ({ labels: { kind }, value })),
  );
  metrics.collectGauge('pf_case_time_to_seconds', 'Seconds from opening to first assignment, acknowledgement and resolution (p50, p90, mean) in the metrics window.', async () => {
    const { metrics: figures } = await once();
    const samples: Array<{ labels: Record<string, string>; value: number }> = [];
    for (const [stage, stats] of [['assign', figures.timeToFirstAssignment], ['acknowledge', figures.timeToAcknowledge], ['resolve', figures.timeToResolve]] as const) {
      for (const stat of ['p50', 'p90', 'mean'] as const) {
        const value = stats[stat];
        if (value !== null) samples.push({ labels: { stage, stat }, value });
      }
    }
    return samples;
  });
  metrics.collectGauge('pf_case_sla_breach_ratio', 'Share of cases opened in the metrics window with at least one SLA breach.', async () => {
    const value = (await once()).metrics.slaBreachRate;
    return value === null ? [] : [{ labels: {}, value }];
  });
  metrics.collectGauge('pf_case_reopen_ratio', 'Share of cases opened in the metrics window that were reopened.', async () => {
    const value = (await once()).metrics.reopenRate;
    return value === null ? [] : [{ labels: {}, value }];
  });
  metrics.collectGauge('pf_cases_live', 'Cases not closed, by status.', async () =>
    Object.entries((await once()).live).map(([status, value]) => ({ labels: { status }, value })),
  );
}
