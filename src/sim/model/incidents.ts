/**
 * The scripted incidents as absolute simulated times: what the model does when, and the ground truth the end-to-end
 * tests look for (the stopped machine, the misplaced tool, ...).
 */
import type { SimConfig } from '../config.js';
import { BearingModel } from './bearing.js';

const MINUTE_MS = 60_000;

/** The scripted incidents of a run, as simulated epoch ms. */
export interface IncidentTimes {
  longStop: { machine: string; reason: string; from: number; to: number };
  materialShortage: { line: string; rawMaterial: string; from: number; autoResolveAt: number };
  misplacedTool: { tag: string; zone: string; x: number; y: number; at: number };
  restrictedZoneEntry: { tag: string; zone: string; x: number; y: number; at: number; dwellMs: number };
  unreadableLabel: { camera: string; machine: string; at: number };
  bearingFailure: { machine: string; at: number; reason: string };
}

/** The StopReason of the bearing failure. */
export const BEARING_FAILURE_REASON = 'spindle-bearing-failure';

/** Simulated epoch ms of the start instant. */
export function startOf(config: SimConfig): number {
  return Date.parse(config.start);
}

/** When each scripted incident happens in a run of this config. */
export function incidentTimes(config: SimConfig): IncidentTimes {
  const start = startOf(config);
  const at = (minute: number): number => start + minute * MINUTE_MS;
  const { longStop, materialShortage, misplacedTool, restrictedZoneEntry, unreadableLabel } = config.incidents;
  return {
    longStop: { machine: longStop.machine, reason: longStop.reason, from: at(longStop.atMinute), to: at(longStop.atMinute + longStop.durationMinutes) },
    materialShortage: {
      line: materialShortage.line,
      rawMaterial: config.erp.products[materialShortage.line]?.rawMaterial ?? '',
      from: at(materialShortage.atMinute),
      autoResolveAt: at(materialShortage.atMinute + materialShortage.autoResolveMinutes),
    },
    misplacedTool: { tag: misplacedTool.tag, zone: misplacedTool.zone, x: misplacedTool.x, y: misplacedTool.y, at: at(misplacedTool.atMinute) },
    restrictedZoneEntry: {
      tag: restrictedZoneEntry.tag,
      zone: restrictedZoneEntry.zone,
      x: restrictedZoneEntry.x,
      y: restrictedZoneEntry.y,
      at: at(restrictedZoneEntry.atMinute),
      dwellMs: restrictedZoneEntry.dwellSeconds * 1000,
    },
    unreadableLabel: { camera: config.vision.camera, machine: config.vision.machine, at: at(unreadableLabel.atMinute) },
    bearingFailure: { machine: config.bearing.machine, at: new BearingModel(config.bearing, config.seed, start).failsAt(), reason: BEARING_FAILURE_REASON },
  };
}
