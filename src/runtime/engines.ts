/**
 * The engines a plant runs by default, configured from plant.yaml.
 */
import type { EngineRegistration } from '../core/engine-host.js';
import type { SampleEngineRegistration } from '../core/sample-engine-host.js';
import type { PlantConfig } from '../core/plant-config.js';
import type { PlantModel, PlantNode } from '../core/plant-model.js';
import type { OeeEngineConfig } from '../engines/oee/oee-config.js';
import { oeeEngine } from '../engines/oee/oee-engine.js';
import { anomalyConfigOf } from '../engines/anomaly/anomaly-engine-config.js';
import { anomalyEngine } from '../engines/anomaly/anomaly-engine.js';
import { maintenanceConfigOf } from '../engines/maintenance/maintenance-config.js';
import { maintenanceEngine } from '../engines/maintenance/maintenance-engine.js';
import { locationConfigOf } from '../engines/location/location-config.js';
import { locationEngine } from '../engines/location/location-engine.js';
import { resolveSpcConfig } from '../core/spc-config.js';
import { spcEngine } from '../engines/spc/spc-engine.js';

/** The OEE view of the plant: every machine with its line, area and ideal cycle time. */
export function oeeConfigOf(config: PlantConfig, plant: PlantModel): OeeEngineConfig {
  const idealCycle = new Map((config.equipmentClasses ?? []).map((entry) => [entry.id, entry.idealCycleTimeSeconds]));
  const ancestor = (path: string, level: PlantNode['level']): string | undefined => {
    const parts = path.split('/');
    for (let length = parts.length - 1; length > 0; length -= 1) {
      const node = plant.get(parts.slice(0, length).join('/'));
      if (node?.level === level) return node.path;
    }
    return undefined;
  };
  return {
    timezone: config.sites[0]?.timezone ?? 'UTC',
    shifts: config.shifts ?? [],
    units: plant.nodesAt('equipment').map((node) => {
      const line = ancestor(node.path, 'line');
      const area = ancestor(node.path, 'area');
      const ideal = node.class === undefined ? undefined : idealCycle.get(node.class);
      return { equipment: node.path, ...(line === undefined ? {} : { line }), ...(area === undefined ? {} : { area }), ...(ideal === undefined ? {} : { idealCycleSeconds: ideal }) };
    }),
    microStopSeconds: config.oee?.microStopSeconds ?? 120,
    plannedReasons: config.oee?.plannedReasons ?? [],
    setupReasons: config.oee?.setupReasons ?? [],
    graceMinutes: config.oee?.graceMinutes ?? 5,
    rollingMinutes: config.oee?.rollingMinutes ?? 60,
  };
}

export function defaultEngines(config: PlantConfig, plant: PlantModel): EngineRegistration[] {
  return [
    { definition: oeeEngine as EngineRegistration['definition'], config: oeeConfigOf(config, plant) },
    { definition: locationEngine as EngineRegistration['definition'], config: locationConfigOf(config.locations) },
    { definition: spcEngine as EngineRegistration['definition'], config: resolveSpcConfig(config.spc) },
  ];
}

/** The engines over historian samples a plant runs by default. */
export function defaultSampleEngines(config: PlantConfig, _plant: PlantModel): SampleEngineRegistration[] {
  return [
    { definition: anomalyEngine as SampleEngineRegistration['definition'], config: anomalyConfigOf(config.anomaly) },
    { definition: maintenanceEngine as SampleEngineRegistration['definition'], config: maintenanceConfigOf(config.maintenance) },
  ];
}
