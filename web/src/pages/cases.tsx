/**
 * The case board: every open case by status, and one case with its context, history and the next actions its
 * status allows. Live: case events on the log refresh the board.
 */
import { useState } from 'react';
import { api, ApiError, query } from '../api.js';
import { useDebounced, useLoad } from '../components/use-load.js';
import { leaf, time } from '../format.js';
import { useLiveEvents } from '../live.js';
import { href } from '../router.js';

interface CaseView {
  id: string;
  kind: string;
  title: string;
  severity: string;
  status: string;
  owner?: string;
  area?: string;
  equipment?: string;
  openedAt: string;
  events?: { count: number };
  urgency?: { score: number; level: string; explanation: string };
  context?: { running?: { workOrder: string; lot?: string }; orders?: Array<{ workOrder: string; relation: string; dueAt?: string; slackMinutes?: number }> };
  sla?: Record<string, unknown>;
  verification?: Record<string, unknown>;
  workOrder?: string;
  comments?: Array<{ at: string; author: string; text: string }>;
}

interface HistoryEntry {
  at: number | string;
  actor: string;
  action: string;
  data?: Record<string, unknown>;
}

const COLUMNS = ['open', 'assigned', 'acknowledged', 'in-progress', 'resolved', 'closed'];

export function CasesPage({ caseId }: { caseId: string }) {
  return caseId === '' ? <Board /> : <CaseDetail id={caseId} />;
}

function Board() {
  const list = useLoad(async () => (await api.get<{ cases: CaseView[] }>(`/api/v1/cases${query({ limit: 300 })}`)).cases, []);
  const refresh = useDebounced(list.reload, 500);
  const live = useLiveEvents('case.', refresh);
  return (
    <section>
      <h2>Cases <span className={`live ${live ? 'on' : ''}`}>{live ? 'live' : 'connecting…'}</span></h2>
      {list.error !== undefined && <p className="error">{list.error}</p>}
      <div className="board">
        {COLUMNS.map((status) => (
          <div key={status} className="column">
            <h4>{status}</h4>
            {(list.data ?? []).filter((entry) => entry.status === status).map((entry) => (
              <a key={entry.id} className="case-card" href={href('cases', entry.id)}>
                <span className={`badge sev-${entry.severity}`}>{entry.severity}</span> {entry.title}
                <span className="meta">
                  <span>{entry.kind}</span>
                  {entry.equipment !== undefined && <span>{leaf(entry.equipment)}</span>}
                  {entry.owner !== undefined && <span>→ {entry.owner}</span>}
                  {(entry.events?.count ?? 1) > 1 && <span>×{entry.events!.count}</span>}
                  {entry.urgency !== undefined && <span>urgency {entry.urgency.score}</span>}
                  <span>{time(entry.openedAt)}</span>
                </span>
              </a>
            ))}
          </div>
        ))}
      </div>
    </section>
  );
}

const ACTIONS: Record<string, string[]> = {
  open: ['assign'],
  assigned: ['acknowledge', 'assign'],
  acknowledged: ['start', 'resolve', 'assign'],
  'in-progress': ['resolve', 'assign'],
  resolved: ['close', 'reopen'],
  closed: ['reopen'],
};

function CaseDetail({ id }: { id: string }) {
  const detail = useLoad(() => api.get<{ case: CaseView; history: HistoryEntry[] }>(`/api/v1/cases/${encodeURIComponent(id)}`), [id]);
  const refresh = useDebounced(detail.reload, 300);
  useLiveEvents('case.', (event) => {
    if (event.subject['case'] === id) refresh();
  });
  const [note, setNote] = useState('');
  const [owner, setOwner] = useState('');
  const [message, setMessage] = useState<string>();
  const act = async (action: string): Promise<void> => {
    setMessage(undefined);
    try {
      const body = action === 'assign' ? { owner, reason: note || undefined } : { reason: note || undefined };
      await api.post(`/api/v1/cases/${encodeURIComponent(id)}/${action}`, body);
      setNote('');
      detail.reload();
    } catch (error) {
      setMessage(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error));
    }
  };
  const comment = async (): Promise<void> => {
    try {
      await api.post(`/api/v1/cases/${encodeURIComponent(id)}/comments`, { text: note });
      setNote('');
      detail.reload();
    } catch (error) {
      setMessage(String(error));
    }
  };
  const view = detail.data?.case;
  if (detail.error !== undefined) return <p className="error">{detail.error}</p>;
  if (view === undefined) return <p className="muted">loading…</p>;
  return (
    <section>
      <h2><a href={href('cases')}>Cases</a> / {view.title}</h2>
      <div className="cards">
        <div className="card">
          <h3>{view.kind} <span className={`badge sev-${view.severity}`}>{view.severity}</span> <span className="badge idle">{view.status}</span></h3>
          <p>owner: {view.owner ?? 'unassigned'} · area {view.area ?? '—'} · opened {time(view.openedAt)}</p>
          {view.equipment !== undefined && <p>equipment: <a href={href('equipment', view.equipment)}>{view.equipment}</a></p>}
          {(view.events?.count ?? 1) > 1 && <p>{view.events!.count} signals merged into this case</p>}
          {view.urgency !== undefined && <p>{view.urgency.explanation}</p>}
          {view.verification !== undefined && <p className="muted">verification: {JSON.stringify(view.verification)}</p>}
          {view.sla !== undefined && <p className="muted">SLA: {JSON.stringify(view.sla)}</p>}
        </div>
        <div className="card">
          <h3>Affected orders</h3>
          {view.context?.running !== undefined && <p>running: {view.context.running.workOrder}{view.context.running.lot === undefined ? '' : `, lot ${view.context.running.lot}`}</p>}
          <ul>{(view.context?.orders ?? []).map((order) => <li key={`${order.workOrder}-${order.relation}`}>{order.workOrder} ({order.relation}) due {time(order.dueAt)}{order.slackMinutes === undefined ? '' : `, slack ${Math.round(order.slackMinutes)} min`}</li>)}</ul>
        </div>
      </div>
      <div className="actions">
        <input placeholder="comment or reason" value={note} onChange={(event) => setNote(event.target.value)} />
        {(ACTIONS[view.status] ?? []).includes('assign') && <input placeholder="assign to (user id)" value={owner} onChange={(event) => setOwner(event.target.value)} />}
        {(ACTIONS[view.status] ?? []).map((action) => <button key={action} onClick={() => void act(action)}>{action}</button>)}
        <button className="secondary" disabled={note === ''} onClick={() => void comment()}>comment</button>
      </div>
      {message !== undefined && <p className="error">{message}</p>}
      <h3>History</h3>
      <ul className="history">
        {(detail.data?.history ?? []).map((entry, index) => (
          <li key={index}>{time(typeof entry.at === 'number' ? new Date(entry.at).toISOString() : entry.at)} — <strong>{entry.actor}</strong> {entry.action} {entry.data === undefined ? '' : <span className="muted">{JSON.stringify(entry.data)}</span>}</li>
        ))}
      </ul>
    </section>
  );
}
