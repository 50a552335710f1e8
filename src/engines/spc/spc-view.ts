/**
 * Pure: the chart's records as the API shows them (core/spc.ts), and the capability of the points in a time range —
 * σ within from the range's own moving ranges, ranges or standard deviations (as the chart estimates it), σ overall
 * from the sample standard deviation of its measurements.
 */
import type { SpcCharacteristic } from '../../core/spc-config.js';
import type { SpcCapabilityView, SpcLimitsView, SpcPointView, SpcViolationView } from '../../core/spc.js';
import { processCapability, withinDegreesOfFreedom, type Capability } from './capability.js';
import { controlConstants } from './control-constants.js';
import type { ChartPoint, ChartViolation, EstablishedLimits } from './spc-chart.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** Capability as the API shows it. */
export function capabilityView(capability: Capability | null): SpcCapabilityView | null {
  if (capability === null) return null;
  const { count, mean, sigmaWithin, sigmaOverall, confidence, cp, cpk, pp, ppk } = capability;
  return { count, mean, sigmaWithin, sigmaOverall, confidence, cp, cpk, pp, ppk };
}

/** Established limits as the API shows them (ISO times). */
export function limitsView(established: EstablishedLimits): SpcLimitsView {
  const { limits, baseline } = established;
  return {
    revision: established.revision,
    source: established.source,
    at: iso(established.at),
    effectiveFromIndex: established.effectiveFromIndex,
    location: { ...limits.location },
    dispersion: { ...limits.dispersion },
    sigmaWithin: limits.sigmaWithin,
    ...(baseline === undefined ? {} : { baseline: { ...baseline, from: iso(baseline.from), to: iso(baseline.to) } }),
    capability: capabilityView(established.capability),
  };
}

/** A chart point as the API shows it. */
export function pointView(point: ChartPoint): SpcPointView {
  return {
    index: point.index,
    at: iso(point.at),
    ...(point.from === undefined ? {} : { from: iso(point.from) }),
    value: point.value,
    ...(point.dispersion === undefined ? {} : { dispersion: point.dispersion }),
    size: point.values?.length ?? 1,
    phase: point.phase,
    ...(point.limitsRevision === undefined ? {} : { limitsRevision: point.limitsRevision }),
    ...(point.workOrder === undefined ? {} : { workOrder: point.workOrder }),
    ...(point.serial === undefined ? {} : { serial: point.serial }),
  };
}

/** The start of a violation episode as the API shows it; the query extends `throughIndex` while it stays open. */
export function violationView(violation: ChartViolation, point: ChartPoint): SpcViolationView {
  return {
    rule: { number: violation.rule.number, id: violation.rule.id, name: violation.rule.name },
    ...(violation.side === undefined ? {} : { side: violation.side }),
    chart: violation.chart,
    at: iso(point.at),
    points: violation.points.map((entry) => ({
      index: entry.index,
      value: entry.value,
      at: iso(entry.at),
      ...(entry.from === undefined ? {} : { from: iso(entry.from) }),
      ...(entry.workOrder === undefined ? {} : { workOrder: entry.workOrder }),
      ...(entry.serial === undefined ? {} : { serial: entry.serial }),
    })),
    throughIndex: point.index,
    open: true,
    limitsRevision: violation.limitsRevision,
  };
}

/**
 * Capability of consecutive chart points: for I-MR σ within = MR̄/d2 over the moving ranges between these points, for
 * X̄-R R̄/d2(n), for X̄-S s̄/c4(n). Null with fewer than two points or without spec limits.
 */
export function capabilityOfPoints(characteristic: SpcCharacteristic, points: readonly ChartPoint[], confidence: number): Capability | null {
  if (points.length < 2 || (characteristic.lsl === undefined && characteristic.usl === undefined)) return null;
  const values = points.flatMap((point) => point.values ?? [point.value]);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const sigmaOverall = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1));
  let sigmaWithin: number;
  if (characteristic.chart === 'i-mr') {
    let ranges = 0;
    for (let index = 1; index < points.length; index += 1) ranges += Math.abs(points[index]!.value - points[index - 1]!.value);
    sigmaWithin = ranges / (points.length - 1) / controlConstants(2).d2;
  } else {
    const constants = controlConstants(characteristic.subgroupSize);
    const meanDispersion = points.reduce((sum, point) => sum + (point.dispersion ?? 0), 0) / points.length;
    sigmaWithin = characteristic.chart === 'xbar-r' ? meanDispersion / constants.d2 : meanDispersion / constants.c4;
  }
  const capability = processCapability({
    count: values.length,
    mean,
    sigmaWithin,
    withinDf: withinDegreesOfFreedom(characteristic.chart, characteristic.subgroupSize, points.length),
    sigmaOverall,
    ...(characteristic.lsl === undefined ? {} : { lsl: characteristic.lsl }),
    ...(characteristic.usl === undefined ? {} : { usl: characteristic.usl }),
    confidence,
  });
  return capability.cpk === null && capability.ppk === null ? null : capability;
}
