/**
 * Input that could not be accepted, with the reason and the bytes received; replay after fixing the cause.
 */
import { useState } from 'react';
import { api, query, type DeadLetter } from '../api.js';
import { useLoad } from '../components/use-load.js';
import { time } from '../format.js';

export function DeadLettersPage() {
  const [status, setStatus] = useState('open');
  const [message, setMessage] = useState<string>();
  const list = useLoad(() => api.get<{ deadLetters: DeadLetter[]; total: number }>(`/api/v1/deadletters${query({ status, limit: 200 })}`), [status]);
  const replay = async (id?: string): Promise<void> => {
    try {
      const result = await api.post<{ replayed?: number; stillFailing?: number }>(id === undefined ? '/api/v1/deadletters/replay' : `/api/v1/deadletters/${id}/replay`);
      setMessage(`replay: ${JSON.stringify(result)}`);
    } catch (error) {
      setMessage(String(error));
    }
    list.reload();
  };
  return (
    <section>
      <h2>Dead letters <small className="muted">{list.data?.total ?? ''}</small></h2>
      <select value={status} onChange={(event) => setStatus(event.target.value)}>
        <option value="open">open</option>
        <option value="replayed">replayed</option>
        <option value="discarded">discarded</option>
      </select>{' '}
      {status === 'open' && <button onClick={() => void replay()}>Replay all open</button>}
      {message !== undefined && <p className="muted">{message}</p>}
      {list.error !== undefined && <p className="error">{list.error}</p>}
      <table>
        <thead><tr><th>when</th><th>stage</th><th>code</th><th>source</th><th>reason</th><th>bytes</th><th /></tr></thead>
        <tbody>
          {(list.data?.deadLetters ?? []).map((entry) => (
            <tr key={entry.id}>
              <td>{time(entry.createdAt)}</td>
              <td>{entry.stage}</td>
              <td>{entry.code}</td>
              <td>{[entry.source.system, entry.source.connector, entry.source.address].filter((part) => part !== undefined).join(' / ')}</td>
              <td className="wrap">{entry.message}</td>
              <td><code className="raw">{entry.rawPreview}</code></td>
              <td>{entry.status === 'open' && <button onClick={() => void replay(entry.id)}>Replay</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
