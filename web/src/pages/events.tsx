/**
 * The event log live: the newest first, filtered by type prefix, as it is written.
 */
import { useState } from 'react';
import { api, query, type StoredEvent } from '../api.js';
import { EventList } from '../components/event-list.js';
import { useLoad } from '../components/use-load.js';
import { useLiveEvents } from '../live.js';

const KEEP = 300;

export function EventsPage() {
  const [filter, setFilter] = useState('');
  const [events, setEvents] = useState<StoredEvent[]>([]);
  useLoad(async () => {
    const page = await api.get<{ events: StoredEvent[] }>(`/api/v1/events${query({ newestFirst: true, limit: 100 })}`);
    setEvents(page.events);
  }, []);
  const live = useLiveEvents('', (event) => setEvents((current) => [event, ...current.filter((known) => known.id !== event.id)].slice(0, KEEP)));
  const shown = filter === '' ? events : events.filter((event) => event.type.startsWith(filter) || (event.subject['equipment'] ?? '').includes(filter));
  return (
    <section>
      <h2>
        Events <span className={`live ${live ? 'on' : ''}`}>{live ? 'live' : 'connecting…'}</span>
      </h2>
      <input className="filter" placeholder="filter: type prefix or equipment" value={filter} onChange={(event) => setFilter(event.target.value)} />
      <EventList events={shown} />
    </section>
  );
}
