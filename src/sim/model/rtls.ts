/**
 * Real-time location of tagged tools, WIP carts and forklifts on the hall map (metres, origin south-west). Each tag
 * walks straight lines between random points of its zones and waits there: tools and forklifts from home to one of
 * their zones and back, carts in a round. Positions are reported with UWB-like noise, about once a second while a
 * tag moves and less often while it stands still. Two scripted incidents: a tool carried to a zone where it does not
 * belong and left there, and a forklift driving into a zone restricted to it.
 */
import type { IncidentsConfig, RtlsTagConfig, SimConfig, ZoneConfig } from '../config.js';
import { Random, type Seed } from '../random.js';
import type { PositionUpdate } from './types.js';

const MINUTE_MS = 60_000;

interface Point {
  x: number;
  y: number;
}

interface TagState {
  config: RtlsTagConfig;
  plan: Random;
  noise: Random;
  position: Point;
  target: Point | undefined;
  /** Index into the tag's stops: 0 is home. */
  stop: number;
  dwellUntil: number;
  lastReport: number;
  /** Set by an incident: where to go instead, how long to stay there (Infinity: for good). */
  detour: { to: Point; stayMs: number } | undefined;
  pinned: boolean;
}

/** Ids of the zones containing a point (zones may overlap). */
export function zonesAt(zones: readonly ZoneConfig[], point: Point): string[] {
  return zones.filter((zone) => point.x >= zone.x[0] && point.x <= zone.x[1] && point.y >= zone.y[0] && point.y <= zone.y[1]).map((zone) => zone.id);
}

/** Every RTLS tag's movement and position reports. */
export class RtlsModel {
  readonly #config: SimConfig['rtls'];
  readonly #zones: Map<string, ZoneConfig>;
  readonly #tags: TagState[];
  readonly #scripts: Array<{ at: number; tag: string; to: Point; stayMs: number; done: boolean }>;

  constructor(config: SimConfig['rtls'], incidents: IncidentsConfig, seed: Seed, start: number) {
    this.#config = config;
    this.#zones = new Map(config.zones.map((zone) => [zone.id, zone]));
    this.#tags = config.tags.map((tag) => {
      const plan = new Random(seed, 'rtls', tag.id, 'plan');
      const state: TagState = {
        config: tag,
        plan,
        noise: new Random(seed, 'rtls', tag.id, 'noise'),
        position: this.#pointIn(tag.home, plan),
        target: undefined,
        stop: 0,
        dwellUntil: start + plan.uniform(0, tag.dwellMinutes[1]) * MINUTE_MS,
        lastReport: start,
        detour: undefined,
        pinned: false,
      };
      return state;
    });
    const { misplacedTool, restrictedZoneEntry } = incidents;
    this.#scripts = [
      { at: start + misplacedTool.atMinute * MINUTE_MS, tag: misplacedTool.tag, to: { x: misplacedTool.x, y: misplacedTool.y }, stayMs: Infinity, done: false },
      {
        at: start + restrictedZoneEntry.atMinute * MINUTE_MS,
        tag: restrictedZoneEntry.tag,
        to: { x: restrictedZoneEntry.x, y: restrictedZoneEntry.y },
        stayMs: restrictedZoneEntry.dwellSeconds * 1000,
        done: false,
      },
    ];
  }

  /** A random point at least a metre inside a zone. */
  #pointIn(zoneId: string, rng: Random): Point {
    const zone = this.#zones.get(zoneId)!;
    const margin = (low: number, high: number): [number, number] => (high - low > 2 ? [low + 1, high - 1] : [low, high]);
    const [x0, x1] = margin(zone.x[0], zone.x[1]);
    const [y0, y1] = margin(zone.y[0], zone.y[1]);
    return { x: rng.uniform(x0, x1), y: rng.uniform(y0, y1) };
  }

  /** Where a tag really is (without measurement noise). */
  positionOf(tag: string): Point | undefined {
    const state = this.#tags.find((candidate) => candidate.config.id === tag);
    return state === undefined ? undefined : { ...state.position };
  }

  /** Every tag's report at the start instant. */
  initial(t: number): PositionUpdate[] {
    return this.#tags.map((tag) => this.#report(tag, t));
  }

  /** Advances one step ending at `t` and returns the reports due. */
  step(t: number, stepMs: number): PositionUpdate[] {
    for (const script of this.#scripts) {
      if (script.done || t < script.at) continue;
      script.done = true;
      const tag = this.#tags.find((candidate) => candidate.config.id === script.tag);
      if (tag !== undefined) {
        tag.detour = { to: script.to, stayMs: script.stayMs };
        tag.target = script.to;
      }
    }
    const reports: PositionUpdate[] = [];
    for (const tag of this.#tags) {
      const moving = this.#move(tag, t, stepMs);
      const interval = moving ? this.#config.reportMovingMs : this.#config.reportStillMs;
      if (t - tag.lastReport >= interval) reports.push(this.#report(tag, t));
    }
    return reports;
  }

  /** Moves one tag for one step; true while it is under way. */
  #move(tag: TagState, t: number, stepMs: number): boolean {
    if (tag.pinned) return false;
    if (tag.target === undefined) {
      if (t < tag.dwellUntil) return false;
      tag.target = this.#nextStop(tag);
    }
    const dx = tag.target.x - tag.position.x;
    const dy = tag.target.y - tag.position.y;
    const distance = Math.hypot(dx, dy);
    const reach = tag.config.speedMps * (stepMs / 1000);
    if (distance > reach) {
      tag.position = { x: tag.position.x + (dx / distance) * reach, y: tag.position.y + (dy / distance) * reach };
      return true;
    }
    tag.position = { ...tag.target };
    tag.target = undefined;
    if (tag.detour !== undefined) {
      // Arrived where the incident wanted it: left there for good, or for a while before the routine resumes.
      if (tag.detour.stayMs === Infinity) tag.pinned = true;
      else tag.dwellUntil = t + tag.detour.stayMs;
      tag.detour = undefined;
      // The routine resumes by going home: pretend the last stop was the one before home.
      tag.stop = tag.config.kind === 'cart' ? tag.config.visits.length : 1;
      return true;
    }
    const [shortest, longest] = tag.config.dwellMinutes;
    tag.dwellUntil = t + tag.plan.uniform(shortest, longest) * MINUTE_MS;
    return true;
  }

  /** The next stop of the routine: tools and forklifts alternate home and a zone, carts go round. */
  #nextStop(tag: TagState): Point {
    const visits = tag.config.visits;
    if (tag.config.kind === 'cart') {
      tag.stop = (tag.stop + 1) % (visits.length + 1);
      return this.#pointIn(tag.stop === 0 ? tag.config.home : visits[tag.stop - 1]!, tag.plan);
    }
    tag.stop = tag.stop === 0 ? 1 : 0;
    return this.#pointIn(tag.stop === 0 ? tag.config.home : tag.plan.choice(visits), tag.plan);
  }

  #report(tag: TagState, t: number): PositionUpdate {
    tag.lastReport = t;
    const noise = this.#config.noiseM;
    const round = (value: number): number => Math.round(value * 100) / 100;
    return {
      kind: 'position',
      tag: tag.config.id,
      x: round(tag.position.x + tag.noise.normal(0, noise)),
      y: round(tag.position.y + tag.noise.normal(0, noise)),
      z: round(tag.config.z + tag.noise.normal(0, noise / 2)),
      ts: t,
    };
  }
}
