/**
 * A small metrics registry rendering the Prometheus text format (version 0.0.4). Written by hand rather than taken
 * from prom-client because we need only counters and gauges, held per runtime instead of in a global default registry.
 */

type Labels = Record<string, string>;

interface Metric {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, { labels: Labels; value: number }>;
  /** Gauges whose value is read when scraped. */
  collect?: () => Promise<Array<{ labels: Labels; value: number }>> | Array<{ labels: Labels; value: number }>;
}

export class MetricsRegistry {
  readonly #metrics = new Map<string, Metric>();

  /** Adds to a counter (created on first use). */
  inc(name: string, help: string, amount = 1, labels: Labels = {}): void {
    const metric = this.#metric(name, help, 'counter');
    const key = labelKey(labels);
    const entry = metric.values.get(key);
    if (entry === undefined) metric.values.set(key, { labels, value: amount });
    else entry.value += amount;
  }

  /** Sets a gauge. */
  set(name: string, help: string, value: number, labels: Labels = {}): void {
    this.#metric(name, help, 'gauge').values.set(labelKey(labels), { labels, value });
  }

  /** Registers a gauge computed at scrape time. */
  collectGauge(name: string, help: string, collect: NonNullable<Metric['collect']>): void {
    this.#metric(name, help, 'gauge').collect = collect;
  }

  /** The current value of a counter or gauge, for tests and the console summary. */
  value(name: string, labels: Labels = {}): number {
    return this.#metrics.get(name)?.values.get(labelKey(labels))?.value ?? 0;
  }

  async render(): Promise<string> {
    const lines: string[] = [];
    for (const metric of this.#metrics.values()) {
      lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`);
      const samples = metric.collect === undefined ? [...metric.values.values()] : await metric.collect();
      for (const sample of samples) lines.push(`${metric.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
    return lines.join('\n') + '\n';
  }

  #metric(name: string, help: string, type: Metric['type']): Metric {
    let metric = this.#metrics.get(name);
    if (metric === undefined) {
      metric = { name, help, type, values: new Map() };
      this.#metrics.set(name, metric);
    }
    return metric;
  }
}

function labelKey(labels: Labels): string {
  return Object.keys(labels).sort().map((key) => `${key}=${labels[key]}`).join(',');
}

function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  const escaped = keys.map((key) => `${key}="${String(labels[key]).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`);
  return `{${escaped.join(',')}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
