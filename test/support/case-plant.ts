/**
 * A small plant with shifts, a roster and routing rules for the case tests, and a core on a fast plant clock.
 * Shifts are in UTC so the instants read plainly: early 06-14, late 14-22, night 22-06, every day.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock, type Clock } from '../../src/core/clock.js';
import type { CaseDoc } from '../../src/core/cases.js';
import { createCore, type Core } from '../../src/runtime/create-runtime.js';
import { until } from './wait.js';

export const PRESS = 'acme/plant-1/assembly/line-1/press-1';
export const CNC = 'acme/plant-1/assembly/line-1/cnc-1';
export const WELD = 'acme/plant-1/assembly/line-1/weld-1';
export const FORKLIFT = 'acme/plant-1/warehouse/forklift-1';
export const MINUTE = 60_000;

/** Monday 5 January 2026, 08:00 UTC: the early shift. */
export const EARLY_MORNING = Date.UTC(2026, 0, 5, 8, 0);

export const CASE_PLANT = `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    timezone: UTC
    areas:
      - id: assembly
        lines:
          - id: line-1
            equipment: [{ id: press-1 }, { id: cnc-1 }, { id: weld-1 }]
      - id: warehouse
        equipment: [{ id: forklift-1 }]
shifts:
  - { id: early, start: "06:00", end: "14:00" }
  - { id: late, start: "14:00", end: "22:00" }
  - { id: night, start: "22:00", end: "06:00" }
roster:
  - { shift: early, area: assembly, role: maintenance, users: [mike] }
  - { shift: early, area: assembly, role: supervisor, users: [sam] }
  - { shift: late, area: assembly, role: maintenance, users: [mara] }
  - { shift: night, area: assembly, role: maintenance, users: [nick] }
  - { shift: early, area: warehouse, role: operator, users: [walt] }
users:
  - { id: ada, name: Ada, grants: [{ role: admin, areas: ['*'] }] }
  - { id: sam, name: Sam, grants: [{ role: supervisor, areas: [assembly] }] }
  - { id: mike, name: Mike, grants: [{ role: maintenance, areas: [assembly] }] }
  - { id: mara, name: Mara, grants: [{ role: maintenance, areas: [assembly] }] }
  - { id: nick, name: Nick, grants: [{ role: maintenance, areas: [assembly] }] }
  - { id: olga, name: Olga, grants: [{ role: operator, areas: [assembly] }] }
  - { id: walt, name: Walt, grants: [{ role: operator, areas: [warehouse] }] }
ingest:
  unknownIds: { equipment: reject, workOrder: pass, lot: pass }
routing:
  rules:
    - id: machine-fault
      match: { type: equipment.state.changed, where: { data.state: faulted } }
      holdFor: 2m
      clear: { type: equipment.state.changed, where: { data.state: { in: [execute, idle] } } }
      case: { kind: machine-fault, severity: high, title: "{subject.equipment} faulted" }
      owner: { role: maintenance, strategy: least-loaded, fallback: [{ role: supervisor }] }
      sla: { assign: 1m, acknowledge: 5m, resolve: 4h }
      escalation:
        - { after: acknowledge, notify: [{ role: supervisor }], add: true }
        - { after: 8h, notify: [{ user: ada }] }
      verify: { window: 15m }
    - id: chattering-alarm
      match: { type: alarm.raised }
      clear: { type: alarm.cleared }
      correlate: { key: [subject.equipment, data.alarm], window: 30m }
      case: { kind: alarm-flood, severity: medium, title: "Alarm {data.alarm} on {subject.equipment}" }
      owner: { role: maintenance }
`;

export interface CasePlant {
  dir: string;
  configFile: string;
  dataDir: string;
  remove(): void;
}

export function writeCasePlant(text = CASE_PLANT): CasePlant {
  const dir = mkdtempSync(join(tmpdir(), 'pf-cases-'));
  const configFile = join(dir, 'plant.yaml');
  writeFileSync(configFile, text);
  return { dir, configFile, dataDir: join(dir, 'data'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Plant time from `origin`, `speed` times faster than real time. */
export function fastClock(origin: number, speed: number): ScaledClock {
  return new ScaledClock({ origin, speed });
}

/** A core with its case operations started (what startRuntime does, without the HTTP server and connectors). */
export async function startCaseCore(plant: CasePlant, clock: Clock): Promise<Core> {
  const core = await createCore({ configFile: plant.configFile, dataDir: plant.dataDir, clock });
  await core.cases.start();
  return core;
}

let sequence = 0;

/** An event as a producer sends it, at plant time `at`. */
export function plantEvent(type: string, at: number, subject: Record<string, string>, data: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return { id: `t-${process.pid}-${sequence}`, type, occurredAt: new Date(at).toISOString(), source: { system: 'plc' }, subject, data };
}

/** Ingests events and fails on any rejection. */
export async function ingest(core: Core, events: Array<Record<string, unknown>>): Promise<void> {
  const outcome = await core.pipeline.ingestValue(events);
  if (outcome.rejected.length > 0) throw new Error(`rejected: ${outcome.rejected.map((rejection) => rejection.message).join('; ')}`);
}

export async function allCases(core: Core): Promise<CaseDoc[]> {
  return core.cases.list({ limit: 1000 });
}

/** Waits until plant time has passed `at`. */
export async function untilPlantTime(clock: Clock, at: number, what: string): Promise<void> {
  await until(what, () => clock.now() > at, 60_000, 5);
}
