/**
 * One characteristic's chart on one machine over any time range, computed from the log: the machine's measurements
 * are read in log order from the beginning and run through the same SpcChart the engine uses, so baselines, limits and
 * violation episodes are exactly the engine's; the points, violations and capability of the range are returned.
 */
import { NotFoundError } from '../../core/errors.js';
import type { StoredEvent } from '../../core/event.js';
import { PlantModel } from '../../core/plant-model.js';
import type { SpcCharacteristic, SpcSettings } from '../../core/spc-config.js';
import type { SpcLimitsView, SpcQueryRequest, SpcQueryResult, SpcReader, SpcViolationView } from '../../core/spc.js';
import type { EventLog } from '../../core/store.js';
import type { ChartName } from './control-limits.js';
import { SpcChart, type ChartPoint, type EstablishedLimits } from './spc-chart.js';
import { charts, MEASUREMENT_TYPE, readMeasurement, specOf, unitMismatch } from './spc-events.js';
import { capabilityOfPoints, capabilityView, limitsView, pointView, violationView } from './spc-view.js';
import type { RuleNumber, RuleSide } from './nelson-rules.js';

const PAGE = 10_000;
/** Points returned at most (the newest are kept); about a week of one machine measuring every 30 s. */
const MAX_POINTS = 20_000;
const MAX_VIOLATIONS = 5_000;

interface OpenEpisode {
  view: SpcViolationView;
  chart: ChartName;
  rule: RuleNumber;
  side?: RuleSide;
}

/** The SPC reader of the API (core/spc.ts), over the event log. */
export class SpcQueryService implements SpcReader {
  readonly #events: EventLog;
  readonly #settings: SpcSettings;

  constructor(options: { events: EventLog; settings: SpcSettings }) {
    this.#events = options.events;
    this.#settings = options.settings;
  }

  async query(request: SpcQueryRequest): Promise<SpcQueryResult> {
    const characteristic = this.#find(request.equipment, request.characteristic);
    const chart = new SpcChart(characteristic, this.#settings.confidence);
    const points: ChartPoint[] = [];
    const violations: SpcViolationView[] = [];
    const history: EstablishedLimits[] = [];
    let open: OpenEpisode[] = [];
    let truncated = false;

    let after = 0;
    for (;;) {
      const page: StoredEvent[] = await this.#events.query({ equipment: request.equipment, types: [MEASUREMENT_TYPE], afterPosition: after, limit: PAGE });
      for (const event of page) {
        const reading = readMeasurement(event);
        // The equipment filter also matches machines below the path; the engine keeps one chart per machine.
        if (reading === undefined || reading.equipment !== request.equipment || !charts(characteristic, reading) || unitMismatch(characteristic, reading) !== undefined) continue;
        const step = chart.add(reading);
        const point = step.point;
        if (point === undefined) continue;
        // Later points still feed the chart (it must see what the engine saw) but say nothing about the range.
        if (point.at >= request.to) continue;
        if (step.established !== undefined) history.push(step.established);
        open = open.filter((episode) => {
          if (!chart.isOpen(episode.chart, episode.rule, episode.side)) {
            episode.view.open = false;
            return false;
          }
          episode.view.throughIndex = point.index;
          return true;
        });
        if (point.at < request.from) continue;
        points.push(point);
        if (points.length > MAX_POINTS) {
          points.shift();
          truncated = true;
        }
        for (const violation of step.violations) {
          const view = violationView(violation, point);
          violations.push(view);
          open.push({ view, chart: violation.chart, rule: violation.rule.number, ...(violation.side === undefined ? {} : { side: violation.side }) });
        }
        if (violations.length > MAX_VIOLATIONS) {
          violations.splice(0, violations.length - MAX_VIOLATIONS);
          truncated = true;
        }
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.position;
    }
    const last = history.length === 0 ? null : history[history.length - 1]!;
    const limitsHistory: SpcLimitsView[] = history.map(limitsView);
    return {
      equipment: request.equipment,
      id: characteristic.id,
      characteristic: characteristic.characteristic,
      ...(characteristic.name === undefined ? {} : { name: characteristic.name }),
      chartType: characteristic.chart,
      subgroupSize: characteristic.subgroupSize,
      ...specOf(characteristic),
      rules: [...characteristic.rules],
      from: new Date(request.from).toISOString(),
      to: new Date(request.to).toISOString(),
      limits: last === null ? null : limitsView(last),
      limitsHistory,
      ...(chart.problem === undefined ? {} : { problem: chart.problem }),
      points: points.map(pointView),
      violations,
      capability: capabilityView(capabilityOfPoints(characteristic, points, this.#settings.confidence)),
      truncated,
    };
  }

  /** By id first, then by measured name; the characteristic must chart this machine. */
  #find(equipment: string, name: string): SpcCharacteristic {
    const covering = this.#settings.characteristics.filter((entry) => entry.equipment.some((path) => PlantModel.isWithin(equipment, path)));
    const found = covering.find((entry) => entry.id === name) ?? covering.find((entry) => entry.characteristic === name);
    if (found === undefined) {
      const known = covering.map((entry) => entry.id);
      throw new NotFoundError('PF_ERR_NOT_FOUND', `no SPC characteristic '${name}' is configured for '${equipment}'${known.length === 0 ? '' : ` (configured there: ${known.join(', ')})`}`);
    }
    return found;
  }
}
