/**
 * One machine: its live status, the signals in the historian with their trend, its context (running order,
 * downstream orders, people on shift, urgency) and its recent events.
 */
import { useState } from 'react';
import { api, query, type EquipmentStatus, type StoredEvent } from '../api.js';
import { EventList } from '../components/event-list.js';
import { Sparkline, type Bucket } from '../components/sparkline.js';
import { StateBadge } from '../components/state-badge.js';
import { useDebounced, useLoad } from '../components/use-load.js';
import { time } from '../format.js';
import { useLiveEvents } from '../live.js';

interface Series {
  equipment: string;
  signal: string;
  first: number;
  last: number;
  count: number;
}

export function EquipmentPage({ path }: { path: string }) {
  const status = useLoad(() => api.get<{ now: string; equipment: EquipmentStatus[] }>(`/api/v1/plant/status${query({ equipment: path })}`), [path]);
  const events = useLoad(async () => (await api.get<{ events: StoredEvent[] }>(`/api/v1/events${query({ equipment: path, limit: 200, newestFirst: true })}`)).events, [path]);
  const series = useLoad(async () => (await api.get<{ series: Series[] }>(`/api/v1/samples/series${query({ equipment: path })}`)).series, [path]);
  const context = useLoad(() => api.get<Record<string, unknown>>(`/api/v1/context${query({ equipment: path })}`), [path]);
  const refresh = useDebounced(() => {
    status.reload();
    events.reload();
  }, 700);
  useLiveEvents('equipment.,alarm.,work-order.,production.,quality.', (event) => {
    if (event.subject['equipment'] === path) refresh();
  });
  const current = status.data?.equipment.find((entry) => entry.equipment === path);
  return (
    <section>
      <h2>{path}</h2>
      <div className="cards">
        <div className="card">
          <h3>Status</h3>
          <p><StateBadge state={current?.state} /> since {time(current?.since)}</p>
          {current?.reason !== undefined && <p>reason: {current.reason}</p>}
          <p>order: {current?.workOrder ?? '—'}{current?.lot === undefined ? '' : `, lot ${current.lot}`}</p>
          {current?.activeAlarms.map((alarm) => <p key={alarm.alarm} className="alarm">⚠ {alarm.alarm} since {time(alarm.since)}</p>)}
          <p className="muted">reported by {current?.source ?? '—'}{current?.connector === undefined ? '' : ` via ${current.connector}`}</p>
        </div>
        <ContextCard context={context.data} error={context.error} />
      </div>
      <h3>Signals</h3>
      {(series.data ?? []).filter((entry) => entry.equipment === path).map((entry) => <Signal key={entry.signal} series={entry} />)}
      <h3>Recent events</h3>
      <EventList events={events.data ?? []} />
    </section>
  );
}

function Signal({ series }: { series: Series }) {
  const [hours, setHours] = useState(24);
  const to = series.last + 1;
  const from = Math.max(series.first, to - hours * 3_600_000);
  const bucket = Math.max(1000, Math.ceil((to - from) / 200));
  const data = useLoad(
    async () => (await api.get<{ buckets: Bucket[] }>(`/api/v1/samples${query({ equipment: series.equipment, signal: series.signal, from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucket })}`)).buckets,
    [series.equipment, series.signal, series.last, hours],
  );
  return (
    <div className="signal">
      <div className="signal-head">
        <strong>{series.signal}</strong> <span className="muted">{series.count} samples, last {time(new Date(series.last).toISOString())}</span>
        <select value={hours} onChange={(event) => setHours(Number(event.target.value))}>
          {[1, 8, 24, 168].map((value) => <option key={value} value={value}>{value < 24 ? `${value} h` : `${value / 24} d`}</option>)}
        </select>
      </div>
      <Sparkline buckets={data.data ?? []} />
    </div>
  );
}

interface ContextView {
  running?: { workOrder: string; operation?: string; lot?: string; dueAt?: string };
  orders?: Array<{ workOrder: string; relation: string; operation?: string; equipment?: string; dueAt?: string; slackMinutes?: number }>;
  people?: { shift?: { id: string }; onShift: Array<{ userId: string; role: string }> };
  urgency?: { score: number; level: string; explanation: string };
}

function ContextCard({ context, error }: { context: Record<string, unknown> | undefined; error: string | undefined }) {
  const view = context as ContextView | undefined;
  return (
    <div className="card">
      <h3>Context</h3>
      {error !== undefined && <p className="muted">{error}</p>}
      {view?.urgency !== undefined && <p>{view.urgency.explanation}</p>}
      {view?.people !== undefined && (
        <p>shift {view.people.shift?.id ?? 'none'}: {view.people.onShift.map((person) => `${person.userId} (${person.role})`).join(', ') || 'nobody rostered'}</p>
      )}
      {(view?.orders ?? []).length > 0 && (
        <table>
          <thead><tr><th>order</th><th>relation</th><th>operation</th><th>due</th><th>slack</th></tr></thead>
          <tbody>
            {view!.orders!.map((order) => (
              <tr key={`${order.workOrder}-${order.relation}-${order.operation ?? ''}`}>
                <td>{order.workOrder}</td><td>{order.relation}</td><td>{order.operation ?? ''} {order.equipment === undefined ? '' : `@ ${order.equipment.slice(order.equipment.lastIndexOf('/') + 1)}`}</td>
                <td>{time(order.dueAt)}</td><td className={(order.slackMinutes ?? 1) < 0 ? 'late' : ''}>{order.slackMinutes === undefined ? '' : `${Math.round(order.slackMinutes)} min`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
