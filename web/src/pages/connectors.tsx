/**
 * Connector health: every endpoint's state, since when, the last error, and what is buffered in store-and-forward.
 */
import { api, type ConnectorStatus } from '../api.js';
import { HealthBadge } from '../components/state-badge.js';
import { useLoad } from '../components/use-load.js';
import { time } from '../format.js';
import { usePolling } from '../live.js';

export function ConnectorsPage() {
  const connectors = useLoad(async () => (await api.get<{ connectors: ConnectorStatus[] }>('/api/v1/connectors')).connectors, []);
  usePolling(connectors.reload, 2000);
  return (
    <section>
      <h2>Connectors</h2>
      {connectors.error !== undefined && <p className="error">{connectors.error}</p>}
      <table>
        <thead><tr><th>id</th><th>kind</th><th>system</th><th>health</th><th>since</th><th>buffered</th><th>last error</th><th>details</th></tr></thead>
        <tbody>
          {(connectors.data ?? []).map((connector) => (
            <tr key={connector.id}>
              <td>{connector.id}</td>
              <td>{connector.kind}</td>
              <td>{connector.system}</td>
              <td>{connector.enabled ? <HealthBadge state={connector.health.state} /> : <span className="badge idle">disabled</span>}</td>
              <td>{time(connector.health.since)}</td>
              <td>{connector.buffered}</td>
              <td className="wrap">{connector.health.lastError === undefined ? '' : `${connector.health.lastError.message} (${time(connector.health.lastError.at)})`}</td>
              <td className="wrap muted">{Object.entries(connector.health.details ?? {}).map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
