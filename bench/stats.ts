/**
 * Small measurement helpers shared by the benchmarks: percentiles and a fixed-width table.
 */

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export interface Figure {
  name: string;
  rate: number;
  unit: string;
  p50Ms?: number;
  p99Ms?: number;
  note?: string;
}

export function formatRate(rate: number): string {
  return rate >= 1000 ? `${(rate / 1000).toFixed(1)}k` : rate.toFixed(0);
}

export function printTable(title: string, figures: readonly Figure[], baseline?: Figure): void {
  console.log(`\n${title}`);
  const rows = figures.map((figure) => [
    figure.name,
    `${formatRate(figure.rate)} ${figure.unit}`,
    figure.p50Ms === undefined ? '' : `${figure.p50Ms.toFixed(2)} ms`,
    figure.p99Ms === undefined ? '' : `${figure.p99Ms.toFixed(2)} ms`,
    baseline === undefined ? '' : `${((figure.rate / baseline.rate) * 100).toFixed(0)}%`,
    figure.note ?? '',
  ]);
  const header = ['', 'rate', 'p50', 'p99', baseline === undefined ? '' : `of ${baseline.name}`, ''];
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

/** Roughly 220-byte production events, as PERF-NOTES measured, spread over `assets` pieces of equipment. */
export function makeEvents(count: number, options: { assets: string[]; startMs: number; prefix: string }) {
  return Array.from({ length: count }, (_, index) => ({
    id: `${options.prefix}-${index}`,
    type: 'production.count.recorded',
    occurredAt: new Date(options.startMs + index).toISOString(),
    source: { system: 'bench', connector: 'bench' },
    subject: { equipment: options.assets[index % options.assets.length]! },
    data: { good: 1, scrap: 0 },
  }));
}
