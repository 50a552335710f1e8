/**
 * The `spc:` section of plant.yaml (docs/spc.md): which quality characteristics are charted on which equipment, with
 * their spec limits, chart type, subgroup size, where the control limits come from (baseline) and which of the eight
 * Nelson rules are watched. Read by the SPC engine and the SPC query (engines/spc).
 */
import { Type, type Static } from '@sinclair/typebox';

// Plain patterns here rather than plant-config's Id: importing plant-config would make the two files import each other.
const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64, description: 'kebab-case: lower-case letters, digits and hyphens' });
const Path = Type.String({ minLength: 1, description: 'A plant path, e.g. acme/plant-1/assembly/line-1/test-1' });

/** The chart pairs: individuals and moving range, subgroup means with ranges or with standard deviations. */
export const SPC_CHART_TYPES = ['i-mr', 'xbar-r', 'xbar-s'] as const;
export type SpcChartType = (typeof SPC_CHART_TYPES)[number];

/** The eight Western Electric / Nelson rules, by number. */
export const SPC_RULE_NUMBERS = [1, 2, 3, 4, 5, 6, 7, 8] as const;
export type SpcRuleNumber = (typeof SPC_RULE_NUMBERS)[number];

/** Baseline length when none is given: 100 individuals for I-MR, 25 subgroups otherwise. */
export const DEFAULT_BASELINE_INDIVIDUALS = 100;
export const DEFAULT_BASELINE_SUBGROUPS = 25;
/** Default confidence level of the capability intervals. */
export const DEFAULT_SPC_CONFIDENCE = 0.95;
const MAX_SUBGROUP_SIZE = 25;

export const SpcBaselineSchema = Type.Object(
  {
    samples: Type.Optional(Type.Integer({ minimum: 2, description: 'The first N points (individuals for i-mr, subgroups otherwise) set the limits.' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Start of a time-window baseline (inclusive), with `to`.' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'End of a time-window baseline (exclusive), with `from`.' })),
    mean: Type.Optional(Type.Number({ description: 'Given process mean (standard given), with `sigma`.' })),
    sigma: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Given process σ of individual values, with `mean`.' })),
  },
  { additionalProperties: false, description: 'Where the control limits come from: { samples: N }, { from, to } or { mean, sigma }.' },
);

export const SpcCharacteristicSchema = Type.Object(
  {
    id: Id,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    equipment: Type.Union([Path, Type.Array(Path, { minItems: 1 })], {
      description: 'Where it is measured: a plant path or a list; a line or cell path covers every machine below it, each charted on its own.',
    }),
    characteristic: Type.String({ minLength: 1, description: 'data.characteristic of quality.measurement.recorded, e.g. bore-diameter.' }),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'The unit measurements must carry (when they carry one), e.g. mm.' })),
    lsl: Type.Optional(Type.Number({ description: 'Lower specification limit.' })),
    usl: Type.Optional(Type.Number({ description: 'Upper specification limit.' })),
    target: Type.Optional(Type.Number({ description: 'Nominal value.' })),
    chart: Type.Union(SPC_CHART_TYPES.map((chart) => Type.Literal(chart))),
    subgroupSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SUBGROUP_SIZE, description: '1 for i-mr (the default); 2 to 25 for xbar-r and xbar-s.' })),
    baseline: Type.Optional(SpcBaselineSchema),
    rules: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 8 }), { minItems: 1, uniqueItems: true, description: 'Nelson rule numbers 1–8 to watch. Default all eight.' }),
    ),
    recomputeAfter: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Re-establish the limits after this many points were judged: the next `samples` points form a new baseline.' }),
    ),
  },
  { additionalProperties: false },
);
export type SpcCharacteristicConfig = Static<typeof SpcCharacteristicSchema>;

export const SpcConfigSchema = Type.Object(
  {
    confidence: Type.Optional(Type.Number({ exclusiveMinimum: 0.5, exclusiveMaximum: 1, description: 'Confidence level of the Cp/Cpk/Pp/Ppk intervals. Default 0.95.' })),
    characteristics: Type.Array(SpcCharacteristicSchema),
  },
  { additionalProperties: false },
);
export type SpcConfig = Static<typeof SpcConfigSchema>;

/** Where a characteristic's limits come from, resolved (times in epoch ms). */
export type SpcBaseline =
  | { kind: 'samples'; samples: number }
  | { kind: 'window'; from: number; to: number }
  | { kind: 'given'; mean: number; sigma: number };

/** A characteristic with every default applied: what the engine and the query read. */
export interface SpcCharacteristic {
  id: string;
  name?: string;
  /** Plant paths; a measurement on one of them or below is charted, per machine. */
  equipment: string[];
  characteristic: string;
  unit?: string;
  lsl?: number;
  usl?: number;
  target?: number;
  chart: SpcChartType;
  subgroupSize: number;
  baseline: SpcBaseline;
  rules: SpcRuleNumber[];
  recomputeAfter?: number;
}

export interface SpcSettings {
  confidence: number;
  characteristics: SpcCharacteristic[];
}

export interface SpcIssue {
  path: string;
  message: string;
  allowed?: string[];
}

function baselineOf(entry: SpcCharacteristicConfig): SpcBaseline {
  const baseline = entry.baseline ?? {};
  if (baseline.mean !== undefined && baseline.sigma !== undefined) return { kind: 'given', mean: baseline.mean, sigma: baseline.sigma };
  if (baseline.from !== undefined && baseline.to !== undefined) return { kind: 'window', from: Date.parse(baseline.from), to: Date.parse(baseline.to) };
  return { kind: 'samples', samples: baseline.samples ?? (entry.chart === 'i-mr' ? DEFAULT_BASELINE_INDIVIDUALS : DEFAULT_BASELINE_SUBGROUPS) };
}

/** The section with defaults applied; an absent section charts nothing. Expects a config spcIssues found no fault with. */
export function resolveSpcConfig(config: SpcConfig | undefined): SpcSettings {
  return {
    confidence: config?.confidence ?? DEFAULT_SPC_CONFIDENCE,
    characteristics: (config?.characteristics ?? []).map((entry) => ({
      id: entry.id,
      ...(entry.name === undefined ? {} : { name: entry.name }),
      equipment: typeof entry.equipment === 'string' ? [entry.equipment] : [...entry.equipment],
      characteristic: entry.characteristic,
      ...(entry.unit === undefined ? {} : { unit: entry.unit }),
      ...(entry.lsl === undefined ? {} : { lsl: entry.lsl }),
      ...(entry.usl === undefined ? {} : { usl: entry.usl }),
      ...(entry.target === undefined ? {} : { target: entry.target }),
      chart: entry.chart,
      subgroupSize: entry.chart === 'i-mr' ? 1 : (entry.subgroupSize ?? 0),
      baseline: baselineOf(entry),
      rules: [...(entry.rules ?? SPC_RULE_NUMBERS)].sort((a, b) => a - b) as SpcRuleNumber[],
      ...(entry.recomputeAfter === undefined ? {} : { recomputeAfter: entry.recomputeAfter }),
    })),
  };
}

function baselineIssues(entry: SpcCharacteristicConfig, base: string): SpcIssue[] {
  const baseline = entry.baseline;
  if (baseline === undefined) return [];
  const issues: SpcIssue[] = [];
  const forms = [baseline.samples !== undefined, baseline.from !== undefined || baseline.to !== undefined, baseline.mean !== undefined || baseline.sigma !== undefined].filter(Boolean).length;
  if (forms === 0) issues.push({ path: `${base}/baseline`, message: 'give one form of baseline: { samples: N }, { from, to } or { mean, sigma }' });
  if (forms > 1) issues.push({ path: `${base}/baseline`, message: 'give only one form of baseline: { samples: N }, { from, to } or { mean, sigma }, not a mix' });
  if ((baseline.from === undefined) !== (baseline.to === undefined)) issues.push({ path: `${base}/baseline`, message: 'a time-window baseline needs both from and to' });
  if (baseline.from !== undefined && baseline.to !== undefined && !(Date.parse(baseline.from) < Date.parse(baseline.to))) {
    issues.push({ path: `${base}/baseline/to`, message: 'the baseline window must end after it starts' });
  }
  if ((baseline.mean === undefined) !== (baseline.sigma === undefined)) issues.push({ path: `${base}/baseline`, message: 'given limits need both mean and sigma' });
  if (entry.recomputeAfter !== undefined && (baseline.from !== undefined || baseline.mean !== undefined)) {
    issues.push({ path: `${base}/recomputeAfter`, message: 'recomputeAfter re-establishes the limits from the next { samples: N } points; it cannot be combined with a { from, to } or { mean, sigma } baseline' });
  }
  return issues;
}

/**
 * The problems of a schema-valid spc section that the schema cannot see: duplicate ids, equipment that is not a plant
 * path, a subgroup size that does not fit the chart, spec limits the wrong way round, an ambiguous baseline.
 */
export function spcIssues(config: SpcConfig | undefined, plant: { has(path: string): boolean }): SpcIssue[] {
  if (config === undefined) return [];
  const issues: SpcIssue[] = [];
  const first = new Map<string, number>();
  config.characteristics.forEach((entry, index) => {
    const base = `/spc/characteristics/${index}`;
    const earlier = first.get(entry.id);
    if (earlier === undefined) first.set(entry.id, index);
    else issues.push({ path: `${base}/id`, message: `duplicate id '${entry.id}' (also at /spc/characteristics/${earlier})` });
    const paths = typeof entry.equipment === 'string' ? [entry.equipment] : entry.equipment;
    paths.forEach((path, pathIndex) => {
      if (!plant.has(path)) {
        const at = typeof entry.equipment === 'string' ? `${base}/equipment` : `${base}/equipment/${pathIndex}`;
        issues.push({ path: at, message: `'${path}' is not a path of this plant (a machine, cell or line path such as enterprise/site/area/line/machine)` });
      }
    });
    if (entry.chart === 'i-mr' && entry.subgroupSize !== undefined && entry.subgroupSize !== 1) {
      issues.push({ path: `${base}/subgroupSize`, message: `an i-mr chart plots individual values: subgroupSize must be 1 (or left out), not ${entry.subgroupSize}` });
    }
    if (entry.chart !== 'i-mr' && (entry.subgroupSize === undefined || entry.subgroupSize < 2)) {
      issues.push({ path: `${base}/subgroupSize`, message: `an ${entry.chart} chart needs subgroupSize 2 to ${MAX_SUBGROUP_SIZE}${entry.subgroupSize === undefined ? '' : `, not ${entry.subgroupSize}`} (use i-mr for single measurements)` });
    }
    if (entry.lsl !== undefined && entry.usl !== undefined && !(entry.lsl < entry.usl)) {
      issues.push({ path: `${base}/usl`, message: `usl (${entry.usl}) must be above lsl (${entry.lsl})` });
    }
    if (entry.target !== undefined && ((entry.lsl !== undefined && entry.target < entry.lsl) || (entry.usl !== undefined && entry.target > entry.usl))) {
      issues.push({ path: `${base}/target`, message: `target (${entry.target}) lies outside the spec limits` });
    }
    issues.push(...baselineIssues(entry, base));
  });
  return issues;
}
