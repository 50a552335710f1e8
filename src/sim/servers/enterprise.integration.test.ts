/**
 * The enterprise systems over real HTTP (fetch): ERP's work-order list with its cursor, and every intake recording
 * what it receives, refusing bad bodies with the project's JSON error, surviving a restart on the same port.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNothingLeftBehind, resourceCounts } from '../../../test/support/wait.js';
import type { WorkOrder } from '../model/types.js';
import { EnterpriseServer } from './enterprise.js';
import type { Move } from './enterprise-schemas.js';

const SIM_NOW = Date.parse('2026-01-05T06:00:00+01:00');

function order(number: number): WorkOrder {
  return {
    id: `WO-${number}`, line: 'line-1', material: 'HSG-2200', rawMaterial: 'BLK', quantity: 100, releasedAt: '2026-01-05T04:45:00.000Z',
    dueDate: '2026-01-05T13:00:00.000Z', shift: 'early', routing: [{ operation: 10, equipment: 'press-1', standardCycleSeconds: 28 }],
  };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  return (await response.json()) as Record<string, unknown>;
}

describe('EnterpriseServer', () => {
  it('serves released orders by cursor and records what every system receives', async () => {
    const before = resourceCounts();
    const orders = [order(10001), order(10002), order(10003)];
    const moves: Move[] = [];
    const server = new EnterpriseServer({ host: '127.0.0.1', port: 0, orders: () => orders, now: () => SIM_NOW, onMove: (move) => moves.push(move) });
    await server.start();
    const base = server.baseUrl;
    const post = (path: string, body: unknown): Promise<Response> =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    try {
      const first = await json(await fetch(`${base}/erp/work-orders?limit=2`));
      assert.deepEqual((first.items as Array<{ id: string; cursor: string }>).map((item) => [item.id, item.cursor]), [['WO-10001', '1'], ['WO-10002', '2']]);
      assert.equal(first.nextCursor, '2', 'more follow');
      const rest = await json(await fetch(`${base}/erp/work-orders?since=2&limit=2`));
      assert.deepEqual((rest.items as Array<{ id: string }>).map((item) => item.id), ['WO-10003']);
      assert.equal(rest.nextCursor, undefined, 'the last page names no next cursor');
      orders.push(order(10004));
      const later = await json(await fetch(`${base}/erp/work-orders?since=3`));
      assert.deepEqual((later.items as Array<{ id: string; routing: unknown[] }>).map((item) => item.id), ['WO-10004'], 'a poller following the cursor sees new releases');
      const badCursor = await fetch(`${base}/erp/work-orders?since=abc`);
      assert.equal(badCursor.status, 400);

      const confirmed = await post('/erp/confirmations', { workOrder: 'WO-10001', operation: 10, good: 98, scrap: 2, final: true, by: 'plantfabric' });
      assert.equal(confirmed.status, 201);
      assert.equal((await json(confirmed)).id, 'CONF-000001');
      assert.equal((await post('/cmms/maintenance-orders', { equipment: 'cnc-1', description: 'replace spindle bearing', priority: 'high' })).status, 201);
      assert.equal((await post('/qms/nonconformances', { description: 'bore oversize', serial: 'line-1-000123', severity: 'major' })).status, 201);
      assert.equal((await post('/wms/moves', { material: 'CST-3100', quantity: 200, to: 'line-2' })).status, 201);
      assert.deepEqual(moves, [{ material: 'CST-3100', quantity: 200, to: 'line-2' }], 'a move reaches the plant');

      const received = await json(await fetch(`${base}/erp/received`));
      const [record] = received.items as Array<{ id: string; path: string; simTime: string; body: Record<string, unknown> }>;
      assert.equal(record!.path, '/erp/confirmations');
      assert.equal(record!.simTime, new Date(SIM_NOW).toISOString());
      assert.equal(record!.body.by, 'plantfabric', 'extra fields are kept');
      assert.equal(server.received('cmms')[0]!.id, 'MO-000001');

      const invalid = await post('/erp/confirmations', { workOrder: 'WO-10001', operation: 10, good: -1 });
      assert.equal(invalid.status, 400);
      const problem = (await json(invalid)).error as { code: string; details: { issues: Array<{ path: string }> } };
      assert.equal(problem.code, 'PF_ERR_REQUEST_INVALID');
      assert.ok(problem.details.issues.some((issue) => issue.path === '/good'));
      const notJson = await post('/qms/nonconformances', '{"description": ');
      assert.equal(notJson.status, 400);
      assert.equal(((await json(notJson)).error as { code: string }).code, 'PF_ERR_REQUEST_INVALID');
      const missing = await fetch(`${base}/mes/orders`);
      assert.equal(missing.status, 404);
      assert.equal(((await json(missing)).error as { code: string }).code, 'PF_ERR_NOT_FOUND');
      assert.equal(server.received('erp').length, 1, 'refused bodies are not recorded');

      await server.stop();
      await assert.rejects(fetch(`${base}/erp/received`), 'down means down');
      await server.start();
      assert.equal(server.baseUrl, base, 'back on the same port');
      const after = await json(await fetch(`${base}/cmms/received`));
      assert.equal((after.items as unknown[]).length, 1, 'records survive a restart of the server');
    } finally {
      await server.stop();
    }
    await assertNothingLeftBehind(before, ['TCPServerWrap']);
  });
});
