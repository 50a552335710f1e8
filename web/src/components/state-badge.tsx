import { healthTone, stateTone } from '../format.js';

export function StateBadge({ state }: { state: string | undefined }) {
  return <span className={`badge ${stateTone(state)}`}>{state ?? 'no data'}</span>;
}

export function HealthBadge({ state }: { state: string }) {
  return <span className={`badge ${healthTone(state)}`}>{state}</span>;
}
