/**
 * The plant at a glance: the ISA-95 tree with every machine's live state, running order and open alarms.
 */
import { api, type EquipmentStatus, type PlantNode } from '../api.js';
import { StateBadge } from '../components/state-badge.js';
import { useDebounced, useLoad } from '../components/use-load.js';
import { since } from '../format.js';
import { useLiveEvents } from '../live.js';
import { href } from '../router.js';

export function PlantPage() {
  const tree = useLoad(() => api.get<PlantNode>('/api/v1/plant'), []);
  const status = useLoad(() => api.get<{ now: string; equipment: EquipmentStatus[] }>('/api/v1/plant/status'), []);
  const refresh = useDebounced(status.reload, 500);
  const live = useLiveEvents('equipment.,alarm.,work-order.operation.,production.count.', refresh);
  const byPath = new Map((status.data?.equipment ?? []).map((entry) => [entry.equipment, entry]));
  const now = status.data === undefined ? Date.now() : Date.parse(status.data.now);
  return (
    <section>
      <h2>
        Plant <span className={`live ${live ? 'on' : ''}`}>{live ? 'live' : 'connecting…'}</span>
      </h2>
      {(tree.error ?? status.error) !== undefined && <p className="error">{tree.error ?? status.error}</p>}
      {tree.data !== undefined && <Node node={tree.data} statuses={byPath} now={now} />}
    </section>
  );
}

function Node({ node, statuses, now }: { node: PlantNode; statuses: Map<string, EquipmentStatus>; now: number }) {
  if (node.level === 'equipment') {
    const status = statuses.get(node.path);
    return (
      <a className="machine" href={href('equipment', node.path)}>
        <span className="name">{node.name}</span>
        <StateBadge state={status?.state} />
        <span className="detail">
          {status?.since !== undefined && <span>{since(status.since, now)}</span>}
          {status?.reason !== undefined && <span className="reason">{status.reason}</span>}
          {status?.workOrder !== undefined && <span className="order">{status.workOrder}</span>}
          {(status?.activeAlarms.length ?? 0) > 0 && <span className="alarm">⚠ {status!.activeAlarms.map((alarm) => alarm.alarm).join(', ')}</span>}
        </span>
      </a>
    );
  }
  const machines = node.children.filter((child) => child.level === 'equipment');
  const groups = node.children.filter((child) => child.level !== 'equipment');
  return (
    <div className={`level ${node.level}`}>
      {node.level !== 'enterprise' && <h3>{node.name}</h3>}
      {machines.length > 0 && (
        <div className="machines">
          {machines.map((child) => <Node key={child.path} node={child} statuses={statuses} now={now} />)}
        </div>
      )}
      {groups.map((child) => <Node key={child.path} node={child} statuses={statuses} now={now} />)}
    </div>
  );
}
