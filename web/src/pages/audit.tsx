/**
 * The audit ledger for supervisors and auditors: filter, verify the hash chain, export for a spreadsheet.
 */
import { useState } from 'react';
import { api, query } from '../api.js';
import { useLoad } from '../components/use-load.js';
import { time } from '../format.js';

interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject?: { kind: string; id: string };
  reason?: string;
  data?: Record<string, unknown>;
  hash: string;
}

export function AuditPage() {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [verdict, setVerdict] = useState<string>();
  const filters = { actor, action, limit: 500 };
  const list = useLoad(async () => (await api.get<{ entries: AuditEntry[] }>(`/api/v1/audit${query(filters)}`)).entries, [actor, action]);
  const verify = async (): Promise<void> => {
    try {
      const result = await api.get<{ ok: boolean; entries: number; brokenAt?: number; reason?: string }>('/api/v1/audit/verify');
      setVerdict(result.ok ? `intact: ${result.entries} entries` : `BROKEN at entry ${result.brokenAt}: ${result.reason}`);
    } catch (error) {
      setVerdict(String(error));
    }
  };
  return (
    <section>
      <h2>Audit ledger</h2>
      <div className="actions">
        <input placeholder="actor" value={actor} onChange={(event) => setActor(event.target.value)} />
        <input placeholder="action, e.g. case" value={action} onChange={(event) => setAction(event.target.value)} />
        <button onClick={() => void verify()}>Verify chain</button>
        <a href={`/api/v1/audit${query({ ...filters, format: 'csv' })}`}>CSV</a>
        <a href={`/api/v1/audit${query({ ...filters, format: 'jsonl' })}`}>JSON lines</a>
        {verdict !== undefined && <strong className={verdict.startsWith('intact') ? '' : 'error'}>{verdict}</strong>}
      </div>
      {list.error !== undefined && <p className="error">{list.error}</p>}
      <table>
        <thead><tr><th>#</th><th>at</th><th>actor</th><th>action</th><th>subject</th><th>reason</th><th>data</th><th>hash</th></tr></thead>
        <tbody>
          {(list.data ?? []).slice().reverse().map((entry) => (
            <tr key={entry.seq}>
              <td>{entry.seq}</td>
              <td>{time(entry.at)}</td>
              <td>{entry.actor}</td>
              <td>{entry.action}</td>
              <td>{entry.subject === undefined ? '' : `${entry.subject.kind} ${entry.subject.id}`}</td>
              <td className="wrap">{entry.reason ?? ''}</td>
              <td className="wrap muted">{entry.data === undefined ? '' : JSON.stringify(entry.data).slice(0, 160)}</td>
              <td><code title={entry.hash}>{entry.hash.slice(0, 10)}…</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
