/**
 * Pure: what the SPC engine reads from a `quality.measurement.recorded` event and the derived events it writes
 * (`spc.limits.established`, `spc.rule.violated`). The engine and the query read measurements the same way, so a
 * chart computed from the log is the chart the engine watched.
 */
import type { DerivedEventInput } from '../../core/engine.js';
import type { StoredEvent } from '../../core/event.js';
import { PlantModel } from '../../core/plant-model.js';
import type { SpcCharacteristic } from '../../core/spc-config.js';
import type { Capability, Estimate } from './capability.js';
import type { ChartLimits } from './control-limits.js';
import type { ChartPoint, ChartViolation, EstablishedLimits, Measurement, ViolationPoint } from './spc-chart.js';

export const MEASUREMENT_TYPE = 'quality.measurement.recorded';

/** A measurement event, read: which characteristic on which machine, and the chart's view of it. */
export interface MeasurementReading extends Measurement {
  characteristic: string;
  equipment: string;
  unit?: string;
}

/**
 * The measurement an event carries, or undefined when it is not one SPC can chart: no equipment, no finite value, or
 * a reading of bad or uncertain quality (a gauge fault must not look like a process change).
 */
export function readMeasurement(event: StoredEvent): MeasurementReading | undefined {
  if (event.type !== MEASUREMENT_TYPE || event.quality !== 'good') return undefined;
  const equipment = event.subject.equipment;
  const characteristic = event.data['characteristic'];
  const value = event.data['value'];
  if (equipment === undefined || typeof characteristic !== 'string' || typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const unit = event.data['unit'];
  const serial = event.subject.serial ?? (typeof event.data['serial'] === 'string' ? event.data['serial'] : undefined);
  return {
    characteristic,
    equipment,
    value,
    at: Date.parse(event.occurredAt),
    ...(typeof unit === 'string' ? { unit } : {}),
    ...(event.subject.workOrder === undefined ? {} : { workOrder: event.subject.workOrder }),
    ...(serial === undefined ? {} : { serial }),
  };
}

/** Whether a characteristic charts a reading: the same name, measured on one of its paths or below. */
export function charts(characteristic: SpcCharacteristic, reading: MeasurementReading): boolean {
  return characteristic.characteristic === reading.characteristic && characteristic.equipment.some((path) => PlantModel.isWithin(reading.equipment, path));
}

/** A reading in another unit than the characteristic's: a mapping fault, reported rather than charted. */
export function unitMismatch(characteristic: SpcCharacteristic, reading: MeasurementReading): string | undefined {
  if (characteristic.unit === undefined || reading.unit === undefined || reading.unit === characteristic.unit) return undefined;
  return `${reading.characteristic} on ${reading.equipment} arrived in '${reading.unit}', but SPC characteristic '${characteristic.id}' is charted in '${characteristic.unit}'`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The spec of a characteristic, for event data and views. */
export function specOf(characteristic: SpcCharacteristic): { unit?: string; lsl?: number; usl?: number; target?: number } {
  return {
    ...(characteristic.unit === undefined ? {} : { unit: characteristic.unit }),
    ...(characteristic.lsl === undefined ? {} : { lsl: characteristic.lsl }),
    ...(characteristic.usl === undefined ? {} : { usl: characteristic.usl }),
    ...(characteristic.target === undefined ? {} : { target: characteristic.target }),
  };
}

/** A reported point as event data (ISO times). */
export function pointData(point: ViolationPoint): Record<string, unknown> {
  return {
    index: point.index,
    value: point.value,
    at: iso(point.at),
    ...(point.from === undefined ? {} : { from: iso(point.from) }),
    ...(point.workOrder === undefined ? {} : { workOrder: point.workOrder }),
    ...(point.serial === undefined ? {} : { serial: point.serial }),
  };
}

/** One chart's limits as event data. */
export function limitsData(limits: ChartLimits): Record<string, unknown> {
  return { chart: limits.chart, center: limits.center, ucl: limits.ucl, lcl: limits.lcl, ...(limits.sigma === undefined ? {} : { sigma: limits.sigma }) };
}

function estimateData(estimate: Estimate | null): Estimate | null {
  return estimate === null ? null : { value: estimate.value, lower: estimate.lower, upper: estimate.upper };
}

/** Capability indices with their intervals as event data. */
export function capabilityData(capability: Capability): Record<string, unknown> {
  return {
    count: capability.count,
    mean: capability.mean,
    sigmaWithin: capability.sigmaWithin,
    sigmaOverall: capability.sigmaOverall,
    confidence: capability.confidence,
    cp: estimateData(capability.cp),
    cpk: estimateData(capability.cpk),
    pp: estimateData(capability.pp),
    ppk: estimateData(capability.ppk),
  };
}

/** The subject of a derived event: the machine, and the work order of the point that completed the pattern. */
function subjectOf(equipment: string, point: ChartPoint): DerivedEventInput['subject'] {
  return { equipment, ...(point.workOrder === undefined ? {} : { workOrder: point.workOrder }) };
}

/** `spc.limits.established`: a baseline completed (or given limits took effect) for a characteristic on a machine. */
export function limitsEstablishedEvent(characteristic: SpcCharacteristic, equipment: string, point: ChartPoint, established: EstablishedLimits): DerivedEventInput {
  const { limits, baseline } = established;
  return {
    type: 'spc.limits.established',
    occurredAt: iso(point.at),
    subject: subjectOf(equipment, point),
    data: {
      characteristic: characteristic.characteristic,
      characteristicId: characteristic.id,
      chartType: characteristic.chart,
      subgroupSize: characteristic.subgroupSize,
      ...specOf(characteristic),
      revision: established.revision,
      source: established.source,
      effectiveFromIndex: established.effectiveFromIndex,
      location: limitsData(limits.location),
      dispersion: limitsData(limits.dispersion),
      sigmaWithin: limits.sigmaWithin,
      ...(baseline === undefined ? {} : { baseline: { points: baseline.points, measurements: baseline.measurements, from: iso(baseline.from), to: iso(baseline.to), mean: baseline.mean, sdOverall: baseline.sdOverall } }),
      ...(established.capability === null ? {} : { capability: capabilityData(established.capability) }),
    },
  };
}

/** How a rule reads in a case title: `rule 2: nine points in a row on one side of the centre line`. */
export function ruleLabel(violation: Pick<ChartViolation, 'rule'>): string {
  return `rule ${violation.rule.number}: ${violation.rule.name}`;
}

/** `spc.rule.violated`: the start of a violation episode, with the points that make the pattern. */
export function ruleViolatedEvent(characteristic: SpcCharacteristic, equipment: string, point: ChartPoint, violation: ChartViolation): DerivedEventInput {
  return {
    type: 'spc.rule.violated',
    occurredAt: iso(point.at),
    subject: subjectOf(equipment, point),
    data: {
      characteristic: characteristic.characteristic,
      characteristicId: characteristic.id,
      rule: ruleLabel(violation),
      ruleNumber: violation.rule.number,
      ruleId: violation.rule.id,
      ruleName: violation.rule.name,
      ...(violation.side === undefined ? {} : { side: violation.side }),
      chart: violation.chart,
      chartType: characteristic.chart,
      subgroupSize: characteristic.subgroupSize,
      points: violation.points.map(pointData),
      limits: limitsData(violation.limits),
      limitsRevision: violation.limitsRevision,
      ...specOf(characteristic),
      ...(point.workOrder === undefined ? {} : { workOrder: point.workOrder }),
      ...(point.serial === undefined ? {} : { serial: point.serial }),
    },
  };
}
