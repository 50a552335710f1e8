/**
 * Pure: follows every tag's position reports and says what happened, as facts the engine turns into events: a tag
 * entered or left a zone (with hysteresis, so noise at a boundary does not chatter), entered a zone restricted for
 * its kind, stayed out of its home and allowed zones past its limit (misplaced, once per episode), came back.
 *
 * Time is event time only. The tracker's "now" is the newest report time of any tag, so a tool that was dropped
 * somewhere and stopped reporting is still found misplaced while other tags keep the clock moving.
 */
import { distanceOutsideSolid, type Point } from './geometry.js';
import { restrictionFor, tagOf, type ZonePlan } from './zone-plan.js';

export interface PositionReport {
  tag: string;
  /** Epoch ms. */
  at: number;
  x: number;
  y: number;
  z?: number;
}

export type Position = Point & { at: number };

export type LocationFact =
  | { type: 'entered'; at: number; tag: string; zone: string; position: Position }
  | { type: 'exited'; at: number; tag: string; zone: string; enteredAt: number; position: Position }
  | { type: 'restricted'; at: number; tag: string; zone: string; severity: string; position: Position }
  | { type: 'misplaced'; at: number; tag: string; zones: string[]; position: Position; outsideSince: number }
  | { type: 'returned'; at: number; tag: string; zone: string; outsideSince: number; misplacedAt: number; position: Position };

interface ZoneStay {
  enteredAt: number;
  /** The first report outside the zone's shape since the tag was last inside it: the exit time, if it goes on. */
  leftAt?: number;
}

interface TagTrack {
  position: Position;
  zones: Map<string, ZoneStay>;
  /** Watched tags: when the current episode out of place began. */
  outsideSince?: number;
  /** When the current episode was flagged misplaced. */
  misplacedAt?: number;
}

/** A read-only view of one tag, for tests and queries. */
export interface TagView {
  tag: string;
  position: Position;
  zones: Array<{ zone: string; enteredAt: number }>;
  outsideSince?: number;
  misplacedAt?: number;
}

export class LocationTracker {
  readonly #plan: ZonePlan;
  readonly #tracks = new Map<string, TagTrack>();
  #now = Number.NEGATIVE_INFINITY;
  /** The earliest instant an open episode can fall due: reports before it skip the scan over every tag. */
  #nextDue = Number.POSITIVE_INFINITY;

  constructor(plan: ZonePlan) {
    this.#plan = plan;
  }

  get plan(): ZonePlan {
    return this.#plan;
  }

  /**
   * Applies one report; returns what happened, in time order per tag: misplacements that fell due before it, then
   * zone exits, entries (each followed by its restricted-zone breach) and a return home. A report older than the
   * tag's last one is ignored: a late report must not move a tag back in time.
   */
  report(report: PositionReport): LocationFact[] {
    this.#now = Math.max(this.#now, report.at);
    const facts = this.#dueMisplacements();
    const previous = this.#tracks.get(report.tag);
    if (previous !== undefined && report.at < previous.position.at) return facts;
    const position: Position = { x: report.x, y: report.y, ...(report.z === undefined ? {} : { z: report.z }), at: report.at };
    const track: TagTrack = previous ?? { position, zones: new Map() };
    track.position = position;
    this.#tracks.set(report.tag, track);
    const exits = this.#updateZones(report.tag, track, position, facts);
    this.#updatePlacement(report.tag, track, position, exits, facts);
    return facts;
  }

  view(tag: string): TagView | undefined {
    const track = this.#tracks.get(tag);
    if (track === undefined) return undefined;
    return {
      tag,
      position: { ...track.position },
      zones: [...track.zones.entries()].map(([zone, stay]) => ({ zone, enteredAt: stay.enteredAt })),
      ...(track.outsideSince === undefined ? {} : { outsideSince: track.outsideSince }),
      ...(track.misplacedAt === undefined ? {} : { misplacedAt: track.misplacedAt }),
    };
  }

  /** Zone entries and exits for a new position; returns the exits (zone → exit time). */
  #updateZones(tag: string, track: TagTrack, position: Position, facts: LocationFact[]): Map<string, number> {
    const exits = new Map<string, number>();
    const entries: string[] = [];
    for (const zone of this.#plan.zones) {
      const outside = distanceOutsideSolid(zone.solid, position);
      const stay = track.zones.get(zone.id);
      if (stay === undefined) {
        if (outside === 0) entries.push(zone.id);
      } else if (outside > this.#plan.hysteresisMeters) {
        // It left when it first stepped out, not when it got far enough away to be sure.
        const at = stay.leftAt ?? position.at;
        exits.set(zone.id, at);
        track.zones.delete(zone.id);
        facts.push({ type: 'exited', at, tag, zone: zone.id, enteredAt: stay.enteredAt, position });
      } else if (outside > 0) {
        stay.leftAt ??= position.at;
      } else {
        delete stay.leftAt;
      }
    }
    const kind = tagOf(this.#plan, tag).kind;
    for (const zone of entries) {
      track.zones.set(zone, { enteredAt: position.at });
      facts.push({ type: 'entered', at: position.at, tag, zone, position });
      const rule = restrictionFor(this.#plan, zone, kind);
      if (rule !== undefined) facts.push({ type: 'restricted', at: position.at, tag, zone, severity: rule.severity, position });
    }
    return exits;
  }

  /** Starts, or ends, a watched tag's episode out of place. */
  #updatePlacement(tag: string, track: TagTrack, position: Position, exits: ReadonlyMap<string, number>, facts: LocationFact[]): void {
    const config = tagOf(this.#plan, tag);
    if (config.misplacedAfterMs === undefined) return;
    const inPlace = [...track.zones.keys()].filter((zone) => config.inPlaceZones.has(zone));
    if (inPlace.length > 0) {
      if (track.misplacedAt !== undefined && track.outsideSince !== undefined) {
        const zone = config.home !== undefined && inPlace.includes(config.home) ? config.home : inPlace[0]!;
        facts.push({ type: 'returned', at: position.at, tag, zone, outsideSince: track.outsideSince, misplacedAt: track.misplacedAt, position });
      }
      delete track.outsideSince;
      delete track.misplacedAt;
      return;
    }
    if (track.outsideSince !== undefined) return;
    // The episode began when it stepped out of the place it belonged, or now if it was never seen in place.
    const leftPlace = [...exits.entries()].filter(([zone]) => config.inPlaceZones.has(zone)).map(([, at]) => at);
    track.outsideSince = leftPlace.length > 0 ? Math.min(...leftPlace) : position.at;
    this.#nextDue = Math.min(this.#nextDue, track.outsideSince + config.misplacedAfterMs);
  }

  /** Every watched tag whose time out of place ran out by now, flagged at the instant it ran out. */
  #dueMisplacements(): LocationFact[] {
    const facts: LocationFact[] = [];
    if (this.#now < this.#nextDue) return facts;
    this.#nextDue = Number.POSITIVE_INFINITY;
    for (const [tag, track] of this.#tracks) {
      if (track.outsideSince === undefined || track.misplacedAt !== undefined) continue;
      const limit = tagOf(this.#plan, tag).misplacedAfterMs;
      if (limit === undefined) continue;
      const due = track.outsideSince + limit;
      if (due > this.#now) {
        this.#nextDue = Math.min(this.#nextDue, due);
        continue;
      }
      track.misplacedAt = due;
      facts.push({ type: 'misplaced', at: due, tag, zones: [...track.zones.keys()], position: track.position, outsideSince: track.outsideSince });
    }
    return facts;
  }
}
