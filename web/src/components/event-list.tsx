import type { StoredEvent } from '../api.js';
import { leaf, time } from '../format.js';
import { href } from '../router.js';

/** What an event says, in one line. */
export function summary(event: StoredEvent): string {
  const data = event.data;
  switch (event.type) {
    case 'equipment.state.changed':
      return `${String(data['previousState'] ?? '?')} → ${String(data['state'])}${data['reason'] === undefined ? '' : ` (${String(data['reason'])})`}`;
    case 'production.count.recorded':
      return `good ${String(data['good'] ?? 0)}, scrap ${String(data['scrap'] ?? 0)}`;
    case 'alarm.raised':
    case 'alarm.cleared':
      return `${String(data['alarm'])}${data['message'] === undefined ? '' : `: ${String(data['message'])}`}`;
    case 'quality.measurement.recorded':
      return `${String(data['characteristic'])} = ${String(data['value'])}${data['unit'] === undefined ? '' : ` ${String(data['unit'])}`}`;
    default: {
      const text = JSON.stringify(data);
      return text.length > 140 ? `${text.slice(0, 140)}…` : text;
    }
  }
}

export function EventList({ events }: { events: StoredEvent[] }) {
  if (events.length === 0) return <p className="muted">no events</p>;
  return (
    <table className="events">
      <thead>
        <tr><th>occurred</th><th>type</th><th>equipment</th><th>order</th><th>what</th><th>source</th></tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id} className={event.quality === 'good' ? '' : 'quality-bad'}>
            <td>{time(event.occurredAt)}</td>
            <td>{event.type}</td>
            <td>{event.subject['equipment'] === undefined ? '' : <a href={href('equipment', event.subject['equipment'])}>{leaf(event.subject['equipment'])}</a>}</td>
            <td>{event.subject['workOrder'] ?? ''}</td>
            <td>{summary(event)}</td>
            <td title={event.source.address}>{event.source.system}{event.source.connector === undefined ? '' : ` / ${event.source.connector}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
