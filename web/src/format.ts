/** Display helpers shared by the pages. */

export function time(iso: string | undefined): string {
  if (iso === undefined) return '—';
  const date = new Date(iso);
  return date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "12 min" from a past instant to `now` (plant time may run ahead of the browser's clock in the demo). */
export function since(iso: string | undefined, now: number): string {
  if (iso === undefined) return '';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/** The last segment of a path id, for compact lists. */
export function leaf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** States grouped into the colours an operator reads at a glance. */
export function stateTone(state: string | undefined): 'run' | 'idle' | 'stop' | 'fault' | 'unknown' {
  switch (state) {
    case 'execute':
    case 'starting':
    case 'completing':
    case 'unholding':
    case 'unsuspending':
      return 'run';
    case 'idle':
    case 'complete':
    case 'resetting':
    case 'clearing':
      return 'idle';
    case 'held':
    case 'holding':
    case 'suspended':
    case 'suspending':
    case 'stopped':
    case 'stopping':
      return 'stop';
    case 'aborted':
    case 'aborting':
    case 'faulted':
      return 'fault';
    default:
      return 'unknown';
  }
}

export function healthTone(state: string): 'run' | 'stop' | 'fault' | 'idle' {
  if (state === 'connected') return 'run';
  if (state === 'degraded' || state === 'connecting') return 'stop';
  if (state === 'disconnected') return 'fault';
  return 'idle';
}
