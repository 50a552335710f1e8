/**
 * What the OEE engine needs to know about the plant, built by the runtime from plant.yaml: the shift calendar of the
 * site, each machine with its line, area and ideal cycle time, and how stops are classified.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ShiftSchema } from '../../core/plant-config.js';

export const OeeUnitSchema = Type.Object({
  equipment: Type.String(),
  line: Type.Optional(Type.String({ description: 'Path of the line (work centre) it belongs to.' })),
  area: Type.Optional(Type.String({ description: 'Path of its area.' })),
  idealCycleSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
});
export type OeeUnit = Static<typeof OeeUnitSchema>;

export const OeeEngineConfigSchema = Type.Object({
  timezone: Type.String({ default: 'UTC' }),
  shifts: Type.Array(ShiftSchema),
  units: Type.Array(OeeUnitSchema),
  microStopSeconds: Type.Number({ minimum: 0, default: 120 }),
  plannedReasons: Type.Array(Type.String(), { default: [] }),
  setupReasons: Type.Array(Type.String(), { default: [] }),
  /** How long after a shift ends late data is still awaited before the shift's OEE is final. */
  graceMinutes: Type.Number({ minimum: 0, default: 5 }),
  /** Plant-time interval of provisional updates for the shift in progress; 0 for none. */
  rollingMinutes: Type.Number({ minimum: 0, default: 60 }),
});
export type OeeEngineConfig = Static<typeof OeeEngineConfigSchema>;
