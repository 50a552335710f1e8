/**
 * The checks of sim.yaml a schema cannot express: ids that must exist (a machine's class, the bearing's machine, an
 * incident's zone), ids that must be unique, and ranges whose ends must be in order.
 */
import type { SimConfig } from './config-schema.js';

/** One problem of a sim.yaml, with the JSON-pointer path it stands on. */
export interface SimConfigIssue {
  path: string;
  message: string;
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}

/** Every cross-reference problem of a config that already matches the schema. */
export function referenceIssues(config: SimConfig): SimConfigIssue[] {
  const issues: SimConfigIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  const machines = new Map(config.machines.map((machine) => [machine.id, machine]));
  const lines = new Set(config.machines.flatMap((machine) => (machine.line === undefined ? [] : [machine.line])));
  const zones = new Set(config.rtls.zones.map((zone) => zone.id));
  const tags = new Map(config.rtls.tags.map((tag) => [tag.id, tag]));
  const classes = Object.keys(config.machineClasses);

  const utilityIds = [config.utilities.compressor.id, config.utilities.powerMeter.id];
  for (const id of duplicates([...config.machines.map((machine) => machine.id), ...utilityIds])) add('/machines', `equipment id ${id} is used twice`);
  for (const id of duplicates(config.rtls.zones.map((zone) => zone.id))) add('/rtls/zones', `zone id ${id} is used twice`);
  for (const id of duplicates(config.rtls.tags.map((tag) => tag.id))) add('/rtls/tags', `tag id ${id} is used twice`);
  for (const id of duplicates(config.shifts.map((shift) => shift.id))) add('/shifts', `shift id ${id} is used twice`);
  for (const id of duplicates(config.shifts.map((shift) => shift.start))) add('/shifts', `two shifts start at ${id}`);

  config.machines.forEach((machine, index) => {
    if (!(machine.class in config.machineClasses)) add(`/machines/${index}/class`, `unknown machine class ${machine.class} (known: ${classes.join(', ')})`);
    if (machine.line !== undefined && !(machine.line in config.erp.products)) add(`/machines/${index}/line`, `line ${machine.line} has no product in erp.products`);
  });
  for (const [name, machineClass] of Object.entries(config.machineClasses)) {
    if (machineClass.microStopSeconds[0] > machineClass.microStopSeconds[1]) add(`/machineClasses/${name}/microStopSeconds`, 'shortest is longer than longest');
  }

  const needMachine = (path: string, id: string, what: string): void => {
    if (!machines.has(id)) add(path, `${what} ${id} is not a machine of this plant`);
  };
  needMachine('/bearing/machine', config.bearing.machine, 'bearing machine');
  if (config.bearing.startDay >= config.bearing.lifeDays) add('/bearing/startDay', 'the bearing would start already failed (startDay ≥ lifeDays)');
  if (config.bearing.initialRms >= config.bearing.failureRms) add('/bearing/failureRms', 'must be above initialRms');
  config.dimensions.forEach((dimension, index) => needMachine(`/dimensions/${index}/machine`, dimension.machine, 'measuring machine'));
  needMachine('/vision/machine', config.vision.machine, 'camera station');
  needMachine('/incidents/longStop/machine', config.incidents.longStop.machine, 'long stop machine');
  if (!lines.has(config.incidents.materialShortage.line)) add('/incidents/materialShortage/line', `no machine runs on line ${config.incidents.materialShortage.line}`);

  if (config.erp.quantity[0] < 1 || config.erp.quantity[0] > config.erp.quantity[1]) add('/erp/quantity', 'needs 1 ≤ smallest ≤ largest');
  if (config.erp.dueShifts[0] > config.erp.dueShifts[1]) add('/erp/dueShifts', 'smallest is larger than largest');

  config.rtls.zones.forEach((zone, index) => {
    if (zone.x[0] >= zone.x[1] || zone.y[0] >= zone.y[1]) add(`/rtls/zones/${index}`, 'edges must be given low to high and enclose an area');
  });
  config.rtls.tags.forEach((tag, index) => {
    for (const zone of [tag.home, ...tag.visits]) if (!zones.has(zone)) add(`/rtls/tags/${index}`, `unknown zone ${zone}`);
    if (tag.dwellMinutes[0] > tag.dwellMinutes[1]) add(`/rtls/tags/${index}/dwellMinutes`, 'shortest is longer than longest');
  });
  const placed = (path: string, incident: { tag: string; zone: string }, kind?: string): void => {
    const tag = tags.get(incident.tag);
    if (tag === undefined) add(`${path}/tag`, `unknown RTLS tag ${incident.tag}`);
    else if (kind !== undefined && tag.kind !== kind) add(`${path}/tag`, `${incident.tag} is a ${tag.kind}, not a ${kind}`);
    if (!zones.has(incident.zone)) add(`${path}/zone`, `unknown zone ${incident.zone}`);
  };
  placed('/incidents/misplacedTool', config.incidents.misplacedTool, 'tool');
  placed('/incidents/restrictedZoneEntry', config.incidents.restrictedZoneEntry);
  return issues;
}
