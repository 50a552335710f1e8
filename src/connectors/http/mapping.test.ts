import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { WebhookEndpointSchema, type EventMapping } from './config.js';
import { itemsOf, mapItem, mapItems, parseTimestamp, selectMapping } from './mapping.js';

const source = { system: 'erp', connector: 'hooks', address: '/hooks/erp' };
const receivedAt = Date.UTC(2026, 2, 1, 8, 0, 0);
const context = { source, receivedAt };

const released: EventMapping = {
  eventType: 'work-order.released',
  subject: { workOrder: 'orderNo', material: 'material', equipment: { path: 'line.machine', optional: true } },
  occurredAt: 'releasedAt',
  data: { quantity: { path: 'qty', as: 'number' }, dueAt: { path: 'due', as: 'timestamp', optional: true }, origin: { value: 'sap' } },
};

const order = { orderNo: 4711, material: 'M-100', qty: '50', due: '2026-03-05T14:00:00+01:00', releasedAt: '2026-03-01T07:59:00Z' };

describe('HTTP mapping', () => {
  it('maps an ERP order to work-order.released with subject, time and data', () => {
    const result = mapItem([released], order, context);
    assert.ok(result.ok, !result.ok ? result.message : '');
    assert.deepEqual(result.event, {
      type: 'work-order.released',
      occurredAt: '2026-03-01T07:59:00.000Z',
      source,
      subject: { workOrder: '4711', material: 'M-100' },
      data: { quantity: 50, dueAt: '2026-03-05T13:00:00.000Z', origin: 'sap' },
    });
  });

  it('uses the receive time when the mapping names no time field', () => {
    const result = mapItem([{ ...released, occurredAt: undefined }], order, context);
    assert.equal(result.ok && result.event.occurredAt, new Date(receivedAt).toISOString());
  });

  it('rejects a missing required field and names it', () => {
    const { qty: _qty, ...withoutQty } = order;
    const result = mapItem([released], withoutQty, context);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /missing required field 'qty' \(for data\.quantity\)/);
    const noOrder = mapItem([released], { ...order, orderNo: null }, context);
    assert.match(!noOrder.ok ? noOrder.message : '', /missing required field 'orderNo' \(for subject\.workOrder\)/);
  });

  it('rejects a time it cannot read, including local times without a zone', () => {
    for (const bad of ['yesterday', '2026-03-01 07:59', '2026-03-01T07:59:00', true]) {
      const result = mapItem([released], { ...order, releasedAt: bad }, context);
      assert.match(!result.ok ? result.message : 'accepted', /unparsable timestamp/, `for ${JSON.stringify(bad)}`);
    }
    assert.equal(parseTimestamp(1772351940000), 1772351940000);
    assert.equal(parseTimestamp('1772351940000'), 1772351940000);
    assert.equal(parseTimestamp('2026-03-01'), Date.UTC(2026, 2, 1));
    assert.equal(parseTimestamp('2026-03-01T08:59:00+0100'), Date.UTC(2026, 2, 1, 7, 59));
  });

  it('rejects a value that cannot be converted', () => {
    const result = mapItem([released], { ...order, qty: 'fifty' }, context);
    assert.match(!result.ok ? result.message : '', /field 'qty' \(for data\.quantity\): value "fifty" is not a number/);
  });

  it('rejects an event the catalogue would refuse, before it reaches the pipeline', () => {
    const withoutQuantity: EventMapping = { ...released, data: { dueAt: 'due' } };
    const result = mapItem([withoutQuantity], order, context);
    assert.match(!result.ok ? result.message : '', /mapped work-order\.released is not valid: .*quantity/);
  });

  it('selects the mapping by its when selector, numbers and text alike', () => {
    const qms: EventMapping[] = [
      { when: { field: 'kind', equals: 'NCR' }, eventType: 'quality.nonconformance.recorded', subject: { lot: 'lot' }, data: { defect: 'defectCode' } },
      { when: { field: 'kind', equals: 'HOLD' }, eventType: 'quality.hold.placed', subject: { lot: 'lot' }, data: { reason: 'text' } },
      { when: { field: 'meta.version', equals: 2 }, eventType: 'quality.hold.released', subject: { lot: 'lot' } },
    ];
    assert.equal(selectMapping(qms, { kind: 'HOLD' })?.eventType, 'quality.hold.placed');
    assert.equal(selectMapping(qms, { meta: { version: '2' } })?.eventType, 'quality.hold.released');
    const hold = mapItem(qms, { kind: 'HOLD', lot: 'L-7', text: 'porosity' }, context);
    assert.deepEqual(hold.ok && [hold.event.type, hold.event.subject, hold.event.data], ['quality.hold.placed', { lot: 'L-7' }, { reason: 'porosity' }]);
    const none = mapItem(qms, { kind: 'AUDIT', lot: 'L-7' }, context);
    assert.match(!none.ok ? none.message : '', /no mapping matched \(expected kind = "NCR" or kind = "HOLD" or meta\.version = 2; kind is "AUDIT", meta\.version is missing\)/);
  });

  it('finds items in an object, an array, or under a dotted items path', () => {
    assert.deepEqual(itemsOf({ a: 1 }, undefined), { ok: true, items: [{ a: 1 }] });
    assert.deepEqual(itemsOf([{ a: 1 }, { a: 2 }], undefined), { ok: true, items: [{ a: 1 }, { a: 2 }] });
    assert.deepEqual(itemsOf({ data: { orders: [{ a: 1 }] } }, 'data.orders'), { ok: true, items: [{ a: 1 }] });
    assert.equal(itemsOf({ data: {} }, 'data.orders').ok, false);
    assert.equal(itemsOf(42, undefined).ok, false);
  });

  it('maps every item and keeps each refusal with its index', () => {
    const { events, rejects } = mapItems([order, { ...order, qty: 'x' }, 'not an object', { ...order, orderNo: 4712 }], [released], context);
    assert.deepEqual(events.map((event) => event.subject?.workOrder), ['4711', '4712']);
    assert.deepEqual(rejects.map((reject) => reject.index), [1, 2]);
    assert.match(rejects[1]!.message, /not a JSON object/);
  });

  it('accepts the documented endpoint config and refuses an unknown event type', () => {
    const check = TypeCompiler.Compile(WebhookEndpointSchema);
    const endpoint = Value.Default(WebhookEndpointSchema, { path: '/hooks/erp', system: 'erp', secretEnv: 'ERP_SECRET', mappings: [released] });
    assert.equal(check.Check(endpoint), true, [...check.Errors(endpoint)].map((error) => `${error.path} ${error.message}`).join('; '));
    assert.equal((endpoint as { secretHeader: string }).secretHeader, 'x-plantfabric-secret');
    assert.equal(check.Check({ path: '/hooks/erp', secretHeader: 'x', mappings: [{ ...released, eventType: 'workorder.released' }] }), false);
    assert.equal(check.Check({ path: '/hooks/erp', secretHeader: 'x', mappings: [{ ...released, eventType: 'custom.erp.order-blocked' }] }), true);
  });
});
