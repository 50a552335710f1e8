import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Crosswalk } from '../../core/crosswalk.js';
import type { CanonicalEvent, EventSubject } from '../../core/event.js';
import type { PlantConfig } from '../../core/plant-config.js';
import { PlantModel } from '../../core/plant-model.js';
import { isDoneAt, nextOpenStep } from './order-progress.js';
import { PlantDirectory } from './plant-directory.js';
import { WorkOrderBook } from './work-order-book.js';

const LINE = 'acme/plant-1/assembly/line-1';
const PRESS = `${LINE}/press-1`;
const WELD = `${LINE}/weld-1`;

const config: PlantConfig = {
  version: 1,
  enterprise: { id: 'acme' },
  sites: [{ id: 'plant-1', areas: [{ id: 'assembly', lines: [{ id: 'line-1', equipment: [{ id: 'press-1' }, { id: 'weld-1' }] }] }] }],
};

const minute = (value: number): string => new Date(Date.UTC(2026, 0, 5, 7, value)).toISOString();
const ms = (value: number): number => Date.parse(minute(value));

let sequence = 0;
function event(type: string, at: number, subject: EventSubject, data: Record<string, unknown> = {}, system = 'mes'): CanonicalEvent {
  sequence += 1;
  return { id: `ev-${sequence}`, type, occurredAt: minute(at), receivedAt: minute(at), source: { system }, subject, data, quality: 'good' };
}

function bookWith(crosswalk = new Crosswalk([{ kind: 'equipment', canonical: WELD, system: 'erp', externalId: 'WC-200' }]), limits: { intervalsPerEquipment?: number; finishedOrders?: number } = {}) {
  const directory = new PlantDirectory(new PlantModel(config), crosswalk);
  return { book: new WorkOrderBook({ resolveEquipment: (id, system, at) => directory.resolveFrom(id, system, at), ...limits }), crosswalk };
}

const release = (workOrder: string, at: number, operations: unknown[], data: Record<string, unknown> = {}) =>
  event('work-order.released', at, { workOrder, material: 'M-100' }, { quantity: 50, dueAt: minute(300), operations, ...data }, 'erp');

describe('work-order book', () => {
  it('keeps a release with its routing, resolving equipment ids through the crosswalk of the source system', () => {
    const { book } = bookWith();
    book.apply(release('WO-1', 0, [
      { operation: 10, equipment: PRESS, minutes: 120 },
      { operation: '20', equipment: 'WC-200', minutes: 60 },
      { operation: '30', equipment: 'WC-999' },
      { equipment: PRESS },
    ]));
    const order = book.order('WO-1')!;
    assert.equal(order.material, 'M-100');
    assert.equal(order.quantity, 50);
    assert.equal(order.dueAt, ms(300));
    assert.equal(order.releasedAt, ms(0));
    assert.deepEqual(order.steps, [
      { operation: '10', equipment: PRESS, resolved: true, minutes: 120 },
      { operation: '20', equipment: WELD, resolved: true, minutes: 60 },
      { operation: '30', equipment: 'WC-999', resolved: false },
    ]);
    assert.deepEqual([...book.ordersVisiting(WELD)].map((entry) => entry.workOrder), ['WO-1']);
  });

  it('knows what ran on a machine at any instant: before, during and after an operation', () => {
    const { book } = bookWith();
    book.apply(release('WO-1', 0, [{ operation: '10', equipment: PRESS, minutes: 120 }]));
    book.apply(event('work-order.operation.started', 10, { workOrder: 'WO-1', operation: '10', equipment: PRESS, lot: 'L-1' }));
    book.apply(event('work-order.operation.completed', 50, { workOrder: 'WO-1', operation: '10', equipment: PRESS }));
    book.apply(event('work-order.operation.started', 55, { workOrder: 'WO-2', operation: '10', equipment: PRESS }));
    assert.equal(book.runningAt(PRESS, ms(5)), undefined);
    assert.deepEqual(book.runningAt(PRESS, ms(10)), { workOrder: 'WO-1', operation: '10', lot: 'L-1', start: ms(10), end: ms(50) });
    assert.equal(book.runningAt(PRESS, ms(49))?.workOrder, 'WO-1');
    assert.equal(book.runningAt(PRESS, ms(52)), undefined, 'nothing between completion and the next start');
    assert.equal(book.runningAt(PRESS, ms(60))?.workOrder, 'WO-2');
    assert.equal(book.order('WO-1')!.progress.get('10')!.completedAt, ms(50));
    assert.equal(isDoneAt(book.order('WO-1')!, ms(49)), false);
    assert.equal(isDoneAt(book.order('WO-1')!, ms(50)), true, 'every step completed');
  });

  it('infers the operation of a start or completion that names none, and the machine of a completion that names none', () => {
    const { book } = bookWith();
    book.apply(release('WO-1', 0, [{ operation: '10', equipment: PRESS }, { operation: '20', equipment: WELD }]));
    book.apply(event('work-order.operation.started', 10, { workOrder: 'WO-1', equipment: WELD }));
    assert.equal(book.runningAt(WELD, ms(11))?.operation, '20');
    book.apply(event('work-order.operation.completed', 20, { workOrder: 'WO-1', operation: '20' }));
    assert.equal(book.runningAt(WELD, ms(21)), undefined, 'the machine comes from the start');
    book.apply(event('work-order.operation.started', 30, { workOrder: 'WO-1', equipment: PRESS }));
    book.apply(event('work-order.operation.completed', 40, { workOrder: 'WO-1', equipment: PRESS }));
    assert.equal(book.order('WO-1')!.progress.get('10')!.completedAt, ms(40));
    assert.equal(nextOpenStep(book.order('WO-1')!, ms(41)), -1);
  });

  it('takes events out of occurrence order: late starts in place, repeated starts once, an older release ignored', () => {
    const { book } = bookWith();
    book.apply(release('WO-1', 5, [{ operation: '10', equipment: PRESS }], { quantity: 80 }));
    book.apply(release('WO-1', 0, [{ operation: '10', equipment: WELD }], { quantity: 10 }));
    assert.equal(book.order('WO-1')!.quantity, 80);
    book.apply(event('work-order.operation.started', 30, { workOrder: 'WO-2', operation: '10', equipment: PRESS }));
    book.apply(event('work-order.operation.started', 10, { workOrder: 'WO-1', operation: '10', equipment: PRESS }));
    book.apply(event('work-order.operation.started', 10, { workOrder: 'WO-1', operation: '10', equipment: PRESS }));
    book.apply(event('work-order.operation.completed', 20, { workOrder: 'WO-1', operation: '10', equipment: PRESS }));
    assert.equal(book.runningAt(PRESS, ms(15))?.workOrder, 'WO-1');
    assert.equal(book.runningAt(PRESS, ms(25)), undefined);
    assert.equal(book.runningAt(PRESS, ms(35))?.workOrder, 'WO-2');
  });

  it('reads status changes in occurrence order: done from the reported instant on', () => {
    const { book } = bookWith();
    book.apply(release('WO-1', 0, [{ operation: '10', equipment: PRESS }]));
    book.apply(event('work-order.status.changed', 60, { workOrder: 'WO-1' }, { status: 'Closed' }));
    book.apply(event('work-order.status.changed', 30, { workOrder: 'WO-1' }, { status: 'in-progress' }));
    const order = book.order('WO-1')!;
    assert.deepEqual(order.statuses.map((change) => change.status), ['in-progress', 'Closed']);
    assert.equal(isDoneAt(order, ms(59)), false);
    assert.equal(isDoneAt(order, ms(60)), true);
  });

  it('stays bounded: old intervals and long-finished orders fall off', () => {
    const { book } = bookWith(undefined, { intervalsPerEquipment: 2, finishedOrders: 1 });
    for (const [index, workOrder] of ['WO-1', 'WO-2', 'WO-3'].entries()) {
      book.apply(release(workOrder, index, [{ operation: '10', equipment: PRESS }]));
      book.apply(event('work-order.operation.started', 10 * (index + 1), { workOrder, operation: '10', equipment: PRESS }));
    }
    assert.equal(book.runningAt(PRESS, ms(15)), undefined, 'the oldest interval was dropped');
    assert.equal(book.runningAt(PRESS, ms(25))?.workOrder, 'WO-2');
    book.apply(event('work-order.status.changed', 40, { workOrder: 'WO-1' }, { status: 'complete' }));
    book.apply(event('work-order.status.changed', 41, { workOrder: 'WO-2' }, { status: 'complete' }));
    assert.equal(book.order('WO-1'), undefined, 'the order that finished first was dropped');
    assert.ok(book.order('WO-2') !== undefined && book.order('WO-3') !== undefined);
    assert.deepEqual([...book.ordersVisiting(PRESS)].map((order) => order.workOrder).sort(), ['WO-2', 'WO-3']);
  });

  it('resolves routing equipment the crosswalk learns after the release', () => {
    const { book, crosswalk } = bookWith(new Crosswalk());
    book.apply(release('WO-1', 0, [{ operation: '10', equipment: 'WC-200' }]));
    assert.deepEqual([...book.ordersVisiting(WELD)], []);
    book.retryUnresolved();
    assert.equal(book.order('WO-1')!.steps[0]!.resolved, false);
    crosswalk.add({ kind: 'equipment', canonical: WELD, system: 'erp', externalId: 'WC-200' });
    book.retryUnresolved();
    assert.deepEqual(book.order('WO-1')!.steps[0], { operation: '10', equipment: WELD, resolved: true });
    assert.deepEqual([...book.ordersVisiting(WELD)].map((order) => order.workOrder), ['WO-1']);
  });
});
