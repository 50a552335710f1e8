import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Crosswalk } from '../../core/crosswalk.js';
import type { CanonicalEvent, EventSubject } from '../../core/event.js';
import type { PlantConfig } from '../../core/plant-config.js';
import { PlantModel } from '../../core/plant-model.js';
import { affectedOrders } from './affected-orders.js';
import { remainingMinutes, slackMinutes } from './order-progress.js';
import { PlantDirectory } from './plant-directory.js';
import { WorkOrderBook } from './work-order-book.js';

const PRESS = 'acme/plant-1/assembly/line-1/press-1';
const WELD = 'acme/plant-1/assembly/line-1/weld-1';
const CNC = 'acme/plant-1/assembly/line-2/cnc-1';

const config: PlantConfig = {
  version: 1,
  enterprise: { id: 'acme' },
  sites: [{
    id: 'plant-1',
    areas: [{ id: 'assembly', lines: [{ id: 'line-1', equipment: [{ id: 'press-1' }, { id: 'weld-1' }] }, { id: 'line-2', equipment: [{ id: 'cnc-1' }] }] }],
  }],
};

/** 2026-01-05 (a Monday) at hh:mm UTC. */
const iso = (hour: number, minute = 0): string => new Date(Date.UTC(2026, 0, 5, hour, minute)).toISOString();
const at = (hour: number, minute = 0): number => Date.parse(iso(hour, minute));

let sequence = 0;
function event(type: string, when: string, subject: EventSubject, data: Record<string, unknown> = {}): CanonicalEvent {
  sequence += 1;
  return { id: `ev-${sequence}`, type, occurredAt: when, receivedAt: when, source: { system: 'mes' }, subject, data, quality: 'good' };
}
const release = (workOrder: string, when: string, dueAt: string, operations: unknown[]) =>
  event('work-order.released', when, { workOrder }, { quantity: 10, dueAt, operations });

function scenario() {
  const directory = new PlantDirectory(new PlantModel(config), new Crosswalk());
  const book = new WorkOrderBook({ resolveEquipment: (id, system, when) => directory.resolveFrom(id, system, when) });
  for (const applied of [
    release('WO-1', iso(6), iso(12), [{ operation: '10', equipment: PRESS, minutes: 120 }, { operation: '20', equipment: WELD, minutes: 60 }]),
    release('WO-2', iso(6, 10), iso(10), [{ operation: '10', equipment: PRESS, minutes: 45 }, { operation: '20', equipment: WELD, minutes: 30 }]),
    release('WO-3', iso(6, 20), iso(11), [{ operation: '10', equipment: CNC, minutes: 30 }, { operation: '20', equipment: WELD, minutes: 30 }]),
    release('WO-4', iso(8), iso(16), [{ operation: '10', equipment: PRESS, minutes: 30 }]),
    release('WO-5', iso(6), iso(9), [{ operation: '10', equipment: PRESS, minutes: 30 }]),
    event('work-order.status.changed', iso(6, 30), { workOrder: 'WO-5' }, { status: 'complete' }),
    event('work-order.operation.started', iso(7), { workOrder: 'WO-1', operation: '10', equipment: PRESS, lot: 'L-1' }),
  ]) book.apply(applied);
  const lineOf = (path: string) => directory.lineOf(path);
  return { book, lineOf, apply: (applied: CanonicalEvent) => book.apply(applied) };
}

const summary = (orders: ReturnType<typeof affectedOrders>['orders']) =>
  orders.map((order) => `${order.relation} ${order.workOrder} op ${order.operation ?? '-'} @${order.equipment?.split('/').pop() ?? '-'} slack ${order.slackMinutes ?? '-'}`);

describe('affected orders', () => {
  it('computes remaining planned minutes and slack by hand: running op counts planned less elapsed', () => {
    const { book } = scenario();
    const order = book.order('WO-1')!;
    // 07:30: op 10 started 07:00 → 120 − 30 = 90 left, op 20 60 → 150; due 12:00 is 270 min away → slack 120
    assert.equal(remainingMinutes(order, at(7, 30)), 150);
    assert.equal(slackMinutes(order, at(7, 30)), 120);
    // 13:00: late by 60 min plus 60 min of work still planned (op 10's planned time has run out)
    assert.equal(slackMinutes(order, at(13)), -120);
  });

  it('lists the running order, its downstream operations and the orders queued for the machine', () => {
    const { book, lineOf } = scenario();
    const { running, orders } = affectedOrders(book, PRESS, at(7, 30), { lineOf });
    assert.equal(running?.interval.workOrder, 'WO-1');
    assert.equal(running?.interval.lot, 'L-1');
    assert.deepEqual(summary(orders), [
      'running WO-1 op 10 @press-1 slack 120',
      'downstream WO-1 op 20 @weld-1 slack 120',
      // WO-2: 150 min to 10:00 − (45 + 30) = 75; WO-5 is complete, WO-4 not yet released
      'queued WO-2 op 10 @press-1 slack 75',
    ]);
    assert.deepEqual(orders[0], { workOrder: 'WO-1', relation: 'running', operation: '10', equipment: PRESS, quantity: 10, dueAt: iso(12), slackMinutes: 120 });
  });

  it('counts an order queued when its next open operation is upstream on the same line, not on another line', () => {
    const { book, lineOf } = scenario();
    const { running, orders } = affectedOrders(book, WELD, at(7, 30), { lineOf });
    assert.equal(running, undefined);
    assert.deepEqual(summary(orders), ['queued WO-2 op 20 @weld-1 slack 75', 'queued WO-1 op 20 @weld-1 slack 120']);
    assert.deepEqual(summary(affectedOrders(book, WELD, at(7, 30), { lineOf, queuedLimit: 1 }).orders), ['queued WO-2 op 20 @weld-1 slack 75']);
  });

  it('counts an order finished later as queued at an instant before it finished', () => {
    const { book, lineOf } = scenario();
    // 06:15: WO-5 (done 06:30) still open; WO-3 and WO-4 not yet released. Slack: 165 − 30, 225 − 75, 345 − 180
    assert.deepEqual(summary(affectedOrders(book, PRESS, at(6, 15), { lineOf }).orders), [
      'queued WO-5 op 10 @press-1 slack 135',
      'queued WO-2 op 10 @press-1 slack 150',
      'queued WO-1 op 10 @press-1 slack 165',
    ]);
  });

  it('finds the order that ran at a past instant after later operations moved on', () => {
    const { book, lineOf, apply } = scenario();
    apply(event('work-order.operation.completed', iso(9), { workOrder: 'WO-1', operation: '10', equipment: PRESS }));
    apply(event('work-order.operation.started', iso(9, 5), { workOrder: 'WO-2', operation: '10', equipment: PRESS }));
    const past = affectedOrders(book, PRESS, at(7, 30), { lineOf });
    assert.deepEqual(summary(past.orders), ['running WO-1 op 10 @press-1 slack 120', 'downstream WO-1 op 20 @weld-1 slack 120', 'queued WO-2 op 10 @press-1 slack 75']);
    const later = affectedOrders(book, PRESS, at(9, 10), { lineOf });
    assert.deepEqual(summary(later.orders), [
      // 50 min to 10:00 − ((45 − 5) + 30) = −20: late
      'running WO-2 op 10 @press-1 slack -20',
      'downstream WO-2 op 20 @weld-1 slack -20',
      // WO-4: 410 min to 16:00 − 30; WO-1 no longer comes to the press
      'queued WO-4 op 10 @press-1 slack 380',
    ]);
    assert.deepEqual(summary(affectedOrders(book, WELD, at(9, 10), { lineOf }).orders), [
      'queued WO-2 op 20 @weld-1 slack -20',
      'queued WO-1 op 20 @weld-1 slack 110',
    ]);
  });
});
