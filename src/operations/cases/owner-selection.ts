/**
 * Who should own a case, and who hears of an escalation: the people the roster puts on duty for a role in an area
 * during the shift on at that instant (each site's own calendar and time zone), chosen least-loaded or round-robin,
 * with a fallback chain when nobody of the role is on duty. Pure: open-case counts are handed in.
 */
import { ALL_AREAS } from '../../core/access.js';
import type { PlantConfig, Role } from '../../core/plant-config.js';
import { FROM_EQUIPMENT, type NotifyTarget, type OwnerSpec } from '../../core/routing-config.js';
import { onDuty, ShiftCalendar, type ShiftWindow } from '../../core/shift-calendar.js';

/** The roster and shift calendars of a plant, per site. */
export class ShiftRoster {
  readonly #config: PlantConfig;
  readonly #siteOfArea = new Map<string, string>();
  readonly #calendars = new Map<string, ShiftCalendar>();

  constructor(config: PlantConfig) {
    this.#config = config;
    for (const site of config.sites) {
      this.#calendars.set(site.id, new ShiftCalendar(config.shifts, site.timezone ?? 'UTC'));
      for (const area of site.areas) this.#siteOfArea.set(area.id, site.id);
    }
  }

  sites(): string[] {
    return [...this.#calendars.keys()];
  }

  areasOf(site: string): string[] {
    return [...this.#siteOfArea].filter(([, of]) => of === site).map(([area]) => area);
  }

  siteOf(area: string): string | undefined {
    return this.#siteOfArea.get(area);
  }

  calendar(site: string): ShiftCalendar | undefined {
    return this.#calendars.get(site);
  }

  /** The shift on in an area's site at `at`. */
  shiftAt(area: string, at: number): ShiftWindow | undefined {
    const site = this.#siteOfArea.get(area);
    return site === undefined ? undefined : this.#calendars.get(site)?.shiftAt(at);
  }

  /** The users on duty for `role` (any role when undefined) in `area` during `shift`. */
  onDuty(area: string, shift: string, role?: Role): string[] {
    return onDuty(this.#config.roster, shift, area, role);
  }

  /** Users whose grants give them `role` in `area` (or plant-wide), whatever the roster says. */
  granted(role: Role, area: string | undefined): string[] {
    return (this.#config.users ?? [])
      .filter((user) => user.grants.some((grant) => grant.role === role && (grant.areas.includes(ALL_AREAS) || (area !== undefined && grant.areas.includes(area)))))
      .map((user) => user.id)
      .sort();
  }
}

export interface CandidateGroup {
  role: Role;
  area: string;
  shift: string;
  /** On duty, sorted. Never empty. */
  users: string[];
  /** 0 for the rule's own role and area, n for the n-th fallback. */
  step: number;
}

/** The area a spec names: an area id, or the case's own area for from-equipment (the default). */
export function targetArea(area: string | undefined, caseArea: string | undefined): string | undefined {
  return area === undefined || area === FROM_EQUIPMENT ? caseArea : area;
}

/** The owner's role and area followed by the fallbacks, each with whoever is on duty for it at `at`; empty groups left out. */
export function candidateGroups(spec: OwnerSpec, caseArea: string | undefined, at: number, roster: ShiftRoster): CandidateGroup[] {
  const primaryArea = targetArea(spec.area, caseArea);
  const chain = [{ role: spec.role, area: primaryArea }, ...(spec.fallback ?? []).map((target) => ({ role: target.role, area: targetArea(target.area, primaryArea) }))];
  const groups: CandidateGroup[] = [];
  chain.forEach((target, step) => {
    if (target.area === undefined) return;
    const shift = roster.shiftAt(target.area, at);
    if (shift === undefined) return;
    const users = roster.onDuty(target.area, shift.shift, target.role as Role);
    if (users.length > 0) groups.push({ role: target.role as Role, area: target.area, shift: shift.shift, users, step });
  });
  return groups;
}

/** The user after `last` in a sorted list, wrapping; the first when `last` is not in it. */
function after(users: readonly string[], last: string | undefined): string {
  const index = last === undefined ? -1 : users.indexOf(last);
  return users[(index + 1) % users.length]!;
}

/**
 * Picks one user of a group. least-loaded: fewest open cases, ties broken round-robin so equals share the work;
 * round-robin: the next after the one this rule assigned last.
 */
export function pickOwner(users: readonly string[], strategy: OwnerSpec['strategy'], loads: ReadonlyMap<string, number>, lastAssigned: string | undefined): string {
  if (strategy === 'round-robin') return after(users, lastAssigned);
  const least = Math.min(...users.map((user) => loads.get(user) ?? 0));
  const tied = users.filter((user) => (loads.get(user) ?? 0) === least);
  return after(tied, tied.includes(lastAssigned ?? '') ? lastAssigned : undefined);
}

/**
 * The people a notify list names at `at`: a role's users on duty in the area (the case's area unless named), or
 * when nobody of it is on duty, everyone granted that role there, so an escalation never reaches no one.
 */
export function recipientsOf(targets: readonly NotifyTarget[], caseArea: string | undefined, at: number, roster: ShiftRoster): string[] {
  const found = new Set<string>();
  for (const target of targets) {
    if ('user' in target) {
      found.add(target.user);
      continue;
    }
    const area = targetArea(target.area, caseArea);
    const shift = area === undefined ? undefined : roster.shiftAt(area, at);
    const onShift = area === undefined || shift === undefined ? [] : roster.onDuty(area, shift.shift, target.role as Role);
    for (const user of onShift.length > 0 ? onShift : roster.granted(target.role as Role, area)) found.add(user);
  }
  return [...found].sort();
}
