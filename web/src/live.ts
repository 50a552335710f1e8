/**
 * Live updates from the server-sent event stream of the log. The browser's EventSource reconnects by itself and sends
 * Last-Event-ID, and the server replays what was missed, so a dropped connection loses nothing.
 */
import { useEffect, useRef, useState } from 'react';
import type { StoredEvent } from './api.js';

/** Calls `onEvent` for each live event of the given types (comma-separated; a trailing `.` is a prefix). */
export function useLiveEvents(types: string, onEvent: (event: StoredEvent) => void): boolean {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource(`/api/v1/stream?named=false&type=${encodeURIComponent(types)}`, { withCredentials: true });
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.onmessage = (message) => handler.current(JSON.parse(message.data as string) as StoredEvent);
    return () => source.close();
  }, [types]);
  return connected;
}

/** Re-runs `load` every `ms` while the page is open. */
export function usePolling(load: () => void, ms: number): void {
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    latest.current();
    const timer = setInterval(() => latest.current(), ms);
    return () => clearInterval(timer);
  }, [ms]);
}
