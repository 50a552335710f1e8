import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadSimConfig, type SimConfig } from '../config.js';
import { PACKML } from './machine.js';
import { digestUpdates, Plant, simulate } from './plant.js';
import type { PlantUpdate, TagUpdate } from './types.js';

const HOUR_STEPS = 3600;

const tagUpdates = (updates: readonly PlantUpdate[], machine: string, tag: string): TagUpdate[] =>
  updates.filter((update): update is TagUpdate => update.kind === 'tag' && update.machine === machine && update.tag === tag);

describe('Plant', () => {
  let config: SimConfig;
  let shift: PlantUpdate[];

  before(async () => {
    config = await loadSimConfig();
    shift = simulate(config, 3 * HOUR_STEPS);
  });

  it('produces the same stream for the same seed, and another for another seed', () => {
    const again = simulate(config, 3 * HOUR_STEPS);
    assert.equal(digestUpdates(again, 50_000), digestUpdates(shift, 50_000));
    assert.equal(digestUpdates(again), digestUpdates(shift));
    const other = simulate({ ...config, seed: 'another-seed' }, 3 * HOUR_STEPS);
    assert.notEqual(digestUpdates(other, 50_000), digestUpdates(shift, 50_000));
  });

  it('keeps other machines\' randomness when a machine is added', () => {
    const extended = structuredClone(config);
    extended.machines.push({ id: 'press-9', class: 'press', area: 'assembly', protocol: 'opcua' });
    const withExtra = simulate(extended, HOUR_STEPS);
    const rms = (updates: readonly PlantUpdate[]) => tagUpdates(updates, 'cnc-1', 'CycleTime').map((update) => update.value);
    assert.deepEqual(rms(withExtra), rms(simulate(config, HOUR_STEPS)));
  });

  it('writes no tag twice in one millisecond and stamps every tag update with a rising time', () => {
    const last = new Map<string, number>();
    for (const update of shift) {
      if (update.kind !== 'tag') continue;
      const key = `${update.machine}/${update.tag}`;
      const previous = last.get(key);
      assert.ok(previous === undefined || update.ts > previous, `${key} at ${update.ts} after ${previous}`);
      last.set(key, update.ts);
    }
  });

  it('stamps a second write of a tag in the same step one millisecond later', () => {
    // A shortage from the first minute: press-2 finishes Starting into Execute and is suspended in the same step.
    const short = structuredClone(config);
    short.incidents.materialShortage.atMinute = 0;
    const updates = simulate(short, 120);
    const states = tagUpdates(updates, 'press-2', 'State').map((update) => [update.value, update.ts - Date.parse(short.start)]);
    const startSeconds = short.machineClasses.press!.startSeconds;
    assert.deepEqual(states, [[PACKML.Idle, 0], [PACKML.Starting, 1000], [PACKML.Execute, (1 + startSeconds) * 1000], [PACKML.Suspended, (1 + startSeconds) * 1000 + 1]]);
  });

  it('stops the scripted machine early, with its reason and the work order it was running', () => {
    const { machine, atMinute, durationMinutes, reason } = config.incidents.longStop;
    const start = Date.parse(config.start);
    const states = tagUpdates(shift, machine, 'State');
    const fault = states.find((update) => update.value === PACKML.Faulted && update.ts >= start + atMinute * 60_000);
    assert.ok(fault !== undefined);
    assert.equal(fault.ts, start + atMinute * 60_000, 'at the scripted time');
    const stopReason = tagUpdates(shift, machine, 'StopReason').filter((update) => update.ts <= fault.ts).at(-1);
    assert.equal(stopReason?.value, reason);
    const order = tagUpdates(shift, machine, 'WorkOrder').filter((update) => update.ts <= fault.ts).at(-1);
    assert.match(String(order?.value), /^WO-\d+$/, 'a work order is on the machine');
    const next = states.find((update) => update.ts > fault.ts);
    assert.equal(next?.value, PACKML.Stopped);
    assert.equal(next!.ts - fault.ts, durationMinutes * 60_000);
  });

  it('releases work orders at the start and before the next shift, and runs them on the machines', () => {
    const orders = shift.filter((update): update is Extract<PlantUpdate, { kind: 'order' }> => update.kind === 'order');
    const start = Date.parse(config.start);
    const lines = new Set(config.machines.map((machine) => machine.line));
    assert.equal(orders.filter((update) => update.ts === start).length, config.erp.carryOverOrders * lines.size);
    const early = orders.filter((update) => update.order.shift === 'early');
    assert.equal(early.length, config.erp.ordersPerShift * lines.size);
    assert.ok(early.every((update) => update.ts === Date.parse('2026-01-05T05:45:00+01:00')), '15 minutes before 06:00');
    assert.deepEqual(orders[0]!.order.routing.map((step) => `${step.operation}:${step.equipment}`), ['10:press-1', '20:cnc-1', '30:weld-1', '40:assembly-1', '50:test-1']);
    const running = new Set(tagUpdates(shift, 'test-1', 'WorkOrder').map((update) => update.value));
    assert.ok(running.has(orders[0]!.order.id), 'the last operation ran the first order');
  });

  it('starves the short line of material until the scripted end, then runs on', () => {
    const { line, atMinute, autoResolveMinutes } = config.incidents.materialShortage;
    const first = config.machines.find((machine) => machine.line === line)!.id;
    const start = Date.parse(config.start);
    const reasons = tagUpdates(shift, first, 'StopReason');
    const shortage = reasons.find((update) => update.value === 'material-shortage');
    assert.ok(shortage !== undefined && shortage.ts >= start + atMinute * 60_000);
    const resumed = reasons.find((update) => update.ts > shortage.ts);
    assert.equal(resumed?.ts, start + (atMinute + autoResolveMinutes) * 60_000);
  });

  it('ends a shortage early when the WMS delivers to the line', () => {
    const plant = new Plant(config);
    const out = plant.initial();
    const { line, atMinute } = config.incidents.materialShortage;
    const first = config.machines.find((machine) => machine.line === line)!.id;
    let step = 1;
    for (; step <= (atMinute + 5) * 60; step += 1) out.push(...plant.step(plant.start + step * 1000));
    assert.equal(plant.tag(first, 'StopReason'), 'material-shortage');
    plant.deliverMaterial({ to: line });
    out.push(...plant.step(plant.start + step * 1000));
    out.push(...plant.step(plant.start + (step + 1) * 1000));
    assert.equal(plant.tag(first, 'State'), PACKML.Execute);
  });

  it('measures every part at the test stands, serial first, and reports the camera\'s findings', () => {
    const serials = tagUpdates(shift, 'test-1', 'PartSerial');
    const bores = tagUpdates(shift, 'test-1', 'BoreDiameter');
    assert.equal(serials.length, bores.length);
    assert.ok(bores.length > 200);
    assert.match(String(serials[1]!.value), /^line-1-\d{6}$/);
    const vision = shift.filter((update): update is Extract<PlantUpdate, { kind: 'vision' }> => update.kind === 'vision');
    const labels = vision.filter((update) => update.detection === 'label-unreadable');
    assert.equal(labels.length, 1, 'one unreadable label');
    assert.ok(labels[0]!.ts >= Date.parse(config.start) + config.incidents.unreadableLabel.atMinute * 60_000);
    assert.ok(vision.some((update) => update.detection === 'defect' && update.defect !== undefined && update.workOrder.startsWith('WO-')));
  });

  it('faults the bearing machine when its vibration trend reaches the threshold', () => {
    const soon = structuredClone(config);
    soon.bearing.startDay = config.bearing.lifeDays - 0.05; // 72 simulated minutes to go
    const plant = new Plant(soon);
    plant.initial();
    let failure: TagUpdate | undefined;
    for (let step = 1; step <= 2 * HOUR_STEPS && failure === undefined; step += 1) {
      failure = plant.step(plant.start + step * 1000).find((update): update is TagUpdate => update.kind === 'tag' && update.machine === 'cnc-1' && update.tag === 'StopReason' && update.value === 'spindle-bearing-failure');
    }
    assert.ok(failure !== undefined);
    assert.ok(Math.abs(failure.ts - (plant.start + 72 * 60_000)) <= 2000, `failed at ${new Date(failure.ts).toISOString()}`);
    assert.equal(plant.incidents.bearingFailure.at, plant.start + 72 * 60_000);
  });
});
