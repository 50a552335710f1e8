/**
 * The enrich stage on the real store: events about a machine carry the work order running on it, also after a
 * restart (the running orders are relearned from the log).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createCore } from '../../src/runtime/create-runtime.js';

const configFile = fileURLToPath(new URL('../fixtures/plant.yaml', import.meta.url));
const PRESS = 'acme/plant-1/assembly/line-1/press-1';
const source = { system: 'plc' };
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 6, minute)).toISOString();

describe('events learn the running work order', () => {
  it('fills the order into later events on the machine, and still does after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-enrich-'));
    try {
      let core = await createCore({ configFile, dataDir: dir });
      await core.pipeline.ingestValue([
        { type: 'work-order.operation.started', occurredAt: at(0), source: { system: 'mes' }, subject: { equipment: 'PRESS-01', workOrder: 'wo-1001', operation: '20', lot: 'lot-7' } },
        { type: 'equipment.state.changed', occurredAt: at(5), source, subject: { equipment: PRESS }, data: { state: 'stopped' } },
      ]);
      const [stop] = await core.stores.events.query({ types: ['equipment.state.changed'] });
      assert.deepEqual(stop!.subject, { equipment: PRESS, workOrder: 'wo-1001', operation: '20', lot: 'lot-7' });
      await core.close();

      core = await createCore({ configFile, dataDir: dir });
      await core.pipeline.ingestValue({ type: 'alarm.raised', occurredAt: at(6), source, subject: { equipment: PRESS }, data: { alarm: 'jam' } });
      const [alarm] = await core.stores.events.query({ types: ['alarm.raised'] });
      assert.equal(alarm!.subject.workOrder, 'wo-1001', 'relearned from the log at start');
      await core.pipeline.ingestValue({ type: 'work-order.operation.completed', occurredAt: at(10), source: { system: 'mes' }, subject: { equipment: PRESS, workOrder: 'wo-1001' } });
      await core.pipeline.ingestValue({ type: 'alarm.raised', occurredAt: at(11), source, subject: { equipment: PRESS }, data: { alarm: 'door' } });
      const after = (await core.stores.events.query({ types: ['alarm.raised'] })).find((event) => event.data['alarm'] === 'door');
      assert.equal(after!.subject.workOrder, undefined, 'nothing runs after completion');
      await core.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
