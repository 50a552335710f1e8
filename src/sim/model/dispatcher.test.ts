import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dispatcher } from './dispatcher.js';
import type { WorkOrder } from './types.js';

function order(id: string, quantity: number): WorkOrder {
  return {
    id, line: 'line-1', material: 'M', rawMaterial: 'R', quantity, releasedAt: '', dueDate: '', shift: 'early',
    routing: [
      { operation: 10, equipment: 'press-1', standardCycleSeconds: 10 },
      { operation: 20, equipment: 'cnc-1', standardCycleSeconds: 10 },
    ],
  };
}

describe('Dispatcher', () => {
  it('gives serials at the first operation and passes good parts on in order', () => {
    const dispatcher = new Dispatcher();
    dispatcher.release(order('WO-1', 3));
    assert.deepEqual(dispatcher.take('cnc-1'), { ok: false, reason: 'starved', job: dispatcher.current('cnc-1') });
    const made: string[] = [];
    for (let part = 0; part < 3; part += 1) {
      const take = dispatcher.take('press-1');
      assert.ok(take.ok);
      made.push(take.serial);
      dispatcher.finish(take.job, take.serial, part !== 1); // the second part is scrap
    }
    assert.deepEqual(made, ['line-1-000001', 'line-1-000002', 'line-1-000003']);
    assert.deepEqual(dispatcher.take('press-1'), { ok: false, reason: 'no-work' }, 'the first operation is complete');
    const seen: string[] = [];
    for (;;) {
      const take = dispatcher.take('cnc-1');
      if (!take.ok) break;
      seen.push(take.serial);
      dispatcher.finish(take.job, take.serial, true);
    }
    assert.deepEqual(seen, ['line-1-000001', 'line-1-000003'], 'scrap does not travel on');
    assert.equal(dispatcher.current('cnc-1'), undefined, 'the order is done');
  });

  it('runs orders in release order and holds the first operation during a shortage', () => {
    const dispatcher = new Dispatcher();
    dispatcher.release(order('WO-1', 1));
    dispatcher.release(order('WO-2', 1));
    const first = dispatcher.take('press-1');
    assert.ok(first.ok && first.job.order.id === 'WO-1');
    assert.equal(dispatcher.current('press-1')?.order.id, 'WO-1', 'a part in process keeps the operation open');
    dispatcher.finish(first.job, first.serial, true);
    dispatcher.setShortage('line-1', true);
    const blocked = dispatcher.take('press-1');
    assert.ok(!blocked.ok && blocked.reason === 'material-shortage' && blocked.job.order.id === 'WO-2');
    dispatcher.setShortage('line-1', false);
    const second = dispatcher.take('press-1');
    assert.ok(second.ok && second.job.order.id === 'WO-2');
  });
});
