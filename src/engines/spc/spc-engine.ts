/**
 * The SPC engine: follows `quality.measurement.recorded`, keeps one control chart per configured characteristic and
 * machine, and emits `spc.limits.established` when a baseline completes and `spc.rule.violated` once per violation
 * episode (nelson-rules.ts defines the episode). It reads only event data, in log order, so a replay of the log emits
 * exactly what the live run did.
 */
import { defineEngine } from '../../core/engine.js';
import { PlantfabricError } from '../../core/errors.js';
import type { StoredEvent } from '../../core/event.js';
import type { SpcCharacteristic, SpcSettings } from '../../core/spc-config.js';
import { SpcChart } from './spc-chart.js';
import { charts, limitsEstablishedEvent, MEASUREMENT_TYPE, readMeasurement, ruleViolatedEvent, unitMismatch } from './spc-events.js';

export interface SpcState {
  settings: SpcSettings;
  /** Characteristics by measured name, built once. */
  byName: Map<string, SpcCharacteristic[]>;
  /** One chart per characteristic id and machine. */
  charts: Map<string, SpcChart>;
}

function indexByName(settings: SpcSettings): Map<string, SpcCharacteristic[]> {
  const byName = new Map<string, SpcCharacteristic[]>();
  for (const characteristic of settings.characteristics) byName.set(characteristic.characteristic, [...(byName.get(characteristic.characteristic) ?? []), characteristic]);
  return byName;
}

/** Config is resolved by the runtime from plant.yaml (`resolveSpcConfig`), which validated it first. */
export const spcEngine = defineEngine<SpcSettings, SpcState>({
  id: 'spc',
  subscribes: [MEASUREMENT_TYPE],
  createState: (settings): SpcState => ({ settings, byName: indexByName(settings), charts: new Map() }),
  handle(event: StoredEvent, context): void {
    const state = context.state;
    const reading = readMeasurement(event);
    if (reading === undefined) return;
    const matching = (state.byName.get(reading.characteristic) ?? []).filter((characteristic) => charts(characteristic, reading));
    // Checked before any chart moves, so a refused reading changes nothing (and is dead-lettered with the reason).
    for (const characteristic of matching) {
      const mismatch = unitMismatch(characteristic, reading);
      if (mismatch !== undefined) throw new PlantfabricError('PF_ERR_ENGINE_HANDLER', mismatch);
    }
    for (const characteristic of matching) {
      const key = `${characteristic.id}\u0000${reading.equipment}`;
      let chart = state.charts.get(key);
      if (chart === undefined) {
        chart = new SpcChart(characteristic, state.settings.confidence);
        state.charts.set(key, chart);
      }
      const step = chart.add(reading);
      const point = step.point;
      if (point === undefined) continue;
      if (step.established !== undefined) context.emit(limitsEstablishedEvent(characteristic, reading.equipment, point, step.established));
      for (const violation of step.violations) context.emit(ruleViolatedEvent(characteristic, reading.equipment, point, violation));
    }
  },
});
