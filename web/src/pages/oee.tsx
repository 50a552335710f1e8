/**
 * OEE by shift for a line, an area or a machine (ISO 22400-2), with its losses: downtime by reason, micro-stops,
 * scrap. Computed by the server from the log; refreshed as the plant runs.
 */
import { useState } from 'react';
import type { OeeResult } from '../../../src/core/oee.js';
import { api, query, type PlantNode } from '../api.js';
import { useLoad } from '../components/use-load.js';
import { time } from '../format.js';
import { usePolling } from '../live.js';

type Figures = OeeResult;

interface OeeAnswer {
  scope: string;
  level: string;
  units: string[];
  total: Figures;
  shifts: Array<Figures & { shift: string; from: string; to: string }>;
}

const percent = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);
const minutes = (seconds: number | null): string => (seconds === null ? '—' : `${Math.round(seconds / 60)} min`);

function scopes(node: PlantNode | undefined): PlantNode[] {
  if (node === undefined) return [];
  const own = ['line', 'area', 'equipment', 'cell'].includes(node.level) ? [node] : [];
  return [...own, ...node.children.flatMap(scopes)];
}

export function OeePage() {
  const tree = useLoad(() => api.get<PlantNode>('/api/v1/plant'), []);
  const options = scopes(tree.data);
  const [scope, setScope] = useState('');
  const chosen = scope === '' ? options.find((node) => node.level === 'line')?.path ?? '' : scope;
  const oee = useLoad(async () => (chosen === '' ? undefined : api.get<OeeAnswer>(`/api/v1/oee${query({ scope: chosen })}`)), [chosen]);
  usePolling(oee.reload, 10_000);
  const total = oee.data?.total;
  return (
    <section>
      <h2>OEE</h2>
      <select value={chosen} onChange={(event) => setScope(event.target.value)}>
        {options.map((node) => <option key={node.path} value={node.path}>{`${node.level}: ${node.path}`}</option>)}
      </select>{' '}
      <span className="muted">last 24 h of plant time; machines: {oee.data?.units.length ?? 0}</span>
      {oee.error !== undefined && <p className="error">{oee.error}</p>}
      {total !== undefined && (
        <div className="cards">
          <div className="card">
            <h3>OEE {percent(total.oee)}</h3>
            <p>availability {percent(total.availability)} · performance {percent(total.performance)} · quality {percent(total.quality)}</p>
            <p>produced {total.producedQuantity} (good {total.goodQuantity}, scrap {total.scrapQuantity}) · failures {total.failures} · MTBF {minutes(total.mtbfSeconds)} · MTTR {minutes(total.mttrSeconds)}</p>
            <p>planned {minutes(total.plannedBusySeconds)}: producing {minutes(total.actualProductionSeconds)}, down {minutes(total.downSeconds)}, setup {minutes(total.setupSeconds)}, waiting {minutes(total.delaySeconds)} · {total.microStops.count} micro-stops ({minutes(total.microStops.seconds)})</p>
          </div>
          <div className="card">
            <h3>Downtime by reason</h3>
            <table>
              <tbody>
                {Object.entries(total.downtimeByReason).sort((a, b) => b[1] - a[1]).map(([reason, seconds]) => (
                  <tr key={reason}><td>{reason}</td><td>{minutes(seconds)}</td><td><span className="bar" style={{ width: `${Math.round((seconds / Math.max(1, total.downSeconds)) * 160)}px` }} /></td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      <h3>By shift</h3>
      <table>
        <thead><tr><th>shift</th><th>from</th><th>to</th><th>OEE</th><th>availability</th><th>performance</th><th>quality</th><th>produced</th><th>down</th></tr></thead>
        <tbody>
          {(oee.data?.shifts ?? []).slice().reverse().map((shift) => (
            <tr key={shift.from}>
              <td>{shift.shift}</td><td>{time(shift.from)}</td><td>{time(shift.to)}</td>
              <td><strong>{percent(shift.oee)}</strong></td><td>{percent(shift.availability)}</td><td>{percent(shift.performance)}</td><td>{percent(shift.quality)}</td>
              <td>{shift.producedQuantity}</td><td>{minutes(shift.downSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
