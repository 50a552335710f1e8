import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadSimConfig, type MachineClass, type SimConfig } from '../config.js';
import { Dispatcher } from './dispatcher.js';
import { LEGAL_TRANSITIONS, MachineModel, PACKML, REASONS, type MachineEnvironment, type PackmlState } from './machine.js';
import { Plant } from './plant.js';
import type { TagValue, WorkOrder } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 5);
const STEP = 1000;

const QUIET: MachineClass = {
  cycleSeconds: 10, cycleSd: 0, scrapRate: 0, microStopsPerHour: 0, microStopSeconds: [5, 5], microStopReasons: ['jam'],
  mtbfHours: 1e9, mttrMinutes: 10, faultReasons: ['fault'], startSeconds: 5, resetSeconds: 10, starvedAfterSeconds: 30, powerKw: 1, airLpm: 1,
};

function order(id: string, machines: string[], quantity: number): WorkOrder {
  return {
    id, line: 'line-1', material: 'M', rawMaterial: 'R', quantity, releasedAt: '', dueDate: '', shift: 'early',
    routing: machines.map((equipment, index) => ({ operation: (index + 1) * 10, equipment, standardCycleSeconds: 10 })),
  };
}

/** One machine with a recorder of its tag writes. */
function harness(params: Partial<MachineClass> = {}) {
  const writes: Array<{ tag: string; value: TagValue; ts: number }> = [];
  const machine = new MachineModel('m-1', { ...QUIET, ...params }, 'test', (tag, value, ts) => writes.push({ tag, value, ts }));
  const dispatcher = new Dispatcher();
  const env: MachineEnvironment = { dispatcher, handover: false };
  let t = T0;
  const run = (seconds: number): void => {
    for (let index = 0; index < seconds; index += 1) {
      t += STEP;
      machine.step(t, STEP, env);
    }
  };
  const states = (): Array<[number, TagValue]> => writes.filter((write) => write.tag === 'State').map((write) => [(write.ts - T0) / 1000, write.value]);
  machine.writeInitial(T0);
  return { machine, dispatcher, env, writes, run, states, now: () => t };
}

describe('MachineModel', () => {
  let config: SimConfig;
  before(async () => {
    config = await loadSimConfig();
  });

  it('starts, runs an order part by part and goes idle when it is done', () => {
    const h = harness();
    h.dispatcher.release(order('WO-1', ['m-1'], 3));
    h.run(60);
    assert.deepEqual(h.states(), [[0, PACKML.Idle], [1, PACKML.Starting], [6, PACKML.Execute], [36, PACKML.Idle]]);
    const workOrders = h.writes.filter((write) => write.tag === 'WorkOrder').map((write) => write.value);
    assert.deepEqual(workOrders, ['', 'WO-1', '']);
    assert.equal(h.machine.cycles, 3);
    const goods = h.writes.filter((write) => write.tag === 'GoodCount').map((write) => Number(write.value));
    assert.deepEqual(goods.slice(1).map((value) => value - goods[0]!), [1, 2, 3], 'a running total, one per part');
  });

  it('waits for parts from upstream, then shows starved, and runs again when they come', () => {
    const h = harness();
    h.dispatcher.release(order('WO-2', ['upstream', 'm-1'], 2));
    h.run(50);
    assert.deepEqual(h.states().at(-1), [36, PACKML.Suspended], 'starved 30 s after it began to wait at 6 s');
    assert.equal(h.machine.reason, REASONS.starved);
    const upstream = h.dispatcher.take('upstream');
    assert.ok(upstream.ok);
    h.dispatcher.finish(upstream.job, upstream.serial, true);
    h.run(1);
    assert.equal(h.machine.state, PACKML.Execute);
    assert.equal(h.machine.reason, '');
  });

  it('is suspended by a material shortage at once, and resumes when it ends', () => {
    const h = harness();
    h.dispatcher.release(order('WO-3', ['m-1'], 5));
    h.dispatcher.setShortage('line-1', true);
    h.run(10);
    assert.equal(h.machine.state, PACKML.Suspended);
    assert.equal(h.machine.reason, REASONS.shortage);
    h.dispatcher.setShortage('line-1', false);
    h.run(1);
    assert.equal(h.machine.state, PACKML.Execute);
  });

  it('holds a running machine during a shift handover and resumes the same part', () => {
    const h = harness();
    h.dispatcher.release(order('WO-4', ['m-1'], 1));
    h.run(10); // executing since 6 s, 4 s into a 10 s part
    h.env.handover = true;
    h.run(100);
    assert.equal(h.machine.state, PACKML.Held);
    assert.equal(h.machine.reason, REASONS.handover);
    h.env.handover = false;
    h.run(1);
    assert.equal(h.machine.state, PACKML.Execute);
    h.run(5);
    assert.equal(h.machine.cycles, 0, 'the part keeps its progress: 4 s + 6 s is not yet 10 s of processing');
    h.run(1);
    assert.equal(h.machine.cycles, 1);
  });

  it('faults when forced, is repaired, reset and started again, keeping its order', () => {
    const h = harness();
    h.dispatcher.release(order('WO-5', ['m-1'], 100));
    h.run(20);
    h.machine.forceFault('die-change-overrun', 60_000);
    h.run(100);
    const after = h.states().filter(([second]) => second > 20);
    assert.deepEqual(after, [[21, PACKML.Faulted], [81, PACKML.Stopped], [91, PACKML.Idle], [92, PACKML.Starting], [97, PACKML.Execute]]);
    const reasonAtFault = h.writes.find((write) => write.tag === 'StopReason' && write.ts === T0 + 21_000);
    assert.equal(reasonAtFault?.value, 'die-change-overrun', 'the reason is written with the state');
    assert.ok(!h.writes.some((write) => write.tag === 'WorkOrder' && write.ts > T0 + 20_000), 'the order stays on the machine');
  });

  it('has micro-stops and random faults at about the configured rates', () => {
    const h = harness({ microStopsPerHour: 20, microStopSeconds: [10, 10], mtbfHours: 2, mttrMinutes: 5 });
    h.dispatcher.release(order('WO-6', ['m-1'], 1_000_000));
    h.run(40 * 3600);
    const entered = (state: PackmlState): number => h.states().filter(([, value]) => value === state).length;
    assert.ok(entered(PACKML.Suspended) > 300 && entered(PACKML.Suspended) < 1100, `micro-stops: ${entered(PACKML.Suspended)}`);
    assert.ok(entered(PACKML.Faulted) > 8 && entered(PACKML.Faulted) < 40, `faults: ${entered(PACKML.Faulted)}`);
  });

  it('makes only legal transitions and keeps good + scrap = cycles across a simulated day of the whole plant', () => {
    const plant = new Plant(config);
    const last = new Map<string, number>();
    const produced = new Map<string, number>();
    const first = new Map<string, number>();
    const observe = (updates: ReturnType<Plant['step']>): void => {
      for (const update of updates) {
        if (update.kind !== 'tag') continue;
        if (update.tag === 'State') {
          const previous = last.get(update.machine);
          const state = update.value as PackmlState;
          if (previous !== undefined) {
            assert.ok(LEGAL_TRANSITIONS[previous as PackmlState].includes(state), `${update.machine}: ${previous} → ${state} at ${new Date(update.ts).toISOString()}`);
          }
          last.set(update.machine, state);
        }
        if (update.tag === 'GoodCount' || update.tag === 'ScrapCount') {
          const key = `${update.machine}/${update.tag}`;
          if (!first.has(key)) first.set(key, Number(update.value));
          produced.set(key, Number(update.value) - first.get(key)!);
        }
      }
    };
    observe(plant.initial());
    for (let index = 1; index <= 86_400; index += 1) observe(plant.step(plant.start + index * STEP));
    for (const machine of config.machines) {
      const cycles = plant.machine(machine.id)!.cycles;
      const made = (produced.get(`${machine.id}/GoodCount`) ?? 0) + (produced.get(`${machine.id}/ScrapCount`) ?? 0);
      assert.equal(made, cycles, `${machine.id}: good + scrap = cycles`);
      assert.ok(cycles > 500, `${machine.id} made ${cycles} parts in a day`);
    }
  });
});
