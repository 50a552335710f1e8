/**
 * Shifts in the site's own time zone (plant.yaml `shifts`, `sites[].timezone`): which shift is on at an instant, its
 * exact start and end (a night shift that crosses midnight belongs to the day it started), the shift before and
 * after, and who the roster puts on duty. Time zones come from Intl, so daylight-saving days have their real length.
 */
import type { Role, Shift, WEEKDAYS } from './plant-config.js';

type Weekday = (typeof WEEKDAYS)[number];
const WEEKDAY_OF_INDEX: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;

export interface ShiftWindow {
  shift: string;
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
}

export interface RosterEntry {
  shift: string;
  area: string;
  role: Role;
  users: readonly string[];
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Shift arithmetic for one site. */
export class ShiftCalendar {
  readonly #shifts: readonly Shift[];
  readonly #format: Intl.DateTimeFormat;
  readonly timezone: string;

  /** @throws RangeError for a time zone Intl does not know */
  constructor(shifts: readonly Shift[] | undefined, timezone = 'UTC') {
    this.#shifts = shifts ?? [];
    this.timezone = timezone;
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  #local(at: number): LocalParts {
    const parts: Record<string, number> = {};
    for (const part of this.#format.formatToParts(new Date(at))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    return { year: parts['year']!, month: parts['month']!, day: parts['day']!, hour: parts['hour']!, minute: parts['minute']!, second: parts['second']! };
  }

  /** The instant (epoch ms) of a local wall-clock time on a local date; on a DST gap the next valid instant. */
  #instant(year: number, month: number, day: number, hour: number, minute: number): number {
    const wall = Date.UTC(year, month - 1, day, hour, minute);
    // The zone's offset at the guessed instant, applied twice to settle on the right side of an offset change.
    let guess = wall;
    for (let pass = 0; pass < 2; pass += 1) {
      const local = this.#local(guess);
      const seen = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
      guess = wall - (seen - guess);
    }
    return guess;
  }

  /** The window of `shift` that starts on the local date of `dayStart` (a local midnight instant's parts). */
  #windowOn(shift: Shift, local: { year: number; month: number; day: number }): ShiftWindow | undefined {
    const weekday = WEEKDAY_OF_INDEX[new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay()]!;
    if (shift.days !== undefined && !shift.days.includes(weekday)) return undefined;
    const [startHour, startMinute] = shift.start.split(':').map(Number) as [number, number];
    const [endHour, endMinute] = shift.end.split(':').map(Number) as [number, number];
    const start = this.#instant(local.year, local.month, local.day, startHour, startMinute);
    const overnight = endHour * 60 + endMinute <= startHour * 60 + startMinute;
    const next = new Date(Date.UTC(local.year, local.month - 1, local.day + (overnight ? 1 : 0)));
    const end = this.#instant(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), endHour, endMinute);
    return { shift: shift.id, start, end };
  }

  /** Every shift window overlapping [from, to), in start order. */
  windows(from: number, to: number): ShiftWindow[] {
    const found: ShiftWindow[] = [];
    // A window that overlaps `from` started at most a day earlier (an overnight shift).
    for (let day = from - DAY_MS; day < to + DAY_MS; day += DAY_MS) {
      const local = this.#local(day);
      for (const shift of this.#shifts) {
        const window = this.#windowOn(shift, local);
        if (window !== undefined && window.start < to && window.end > from) found.push(window);
      }
    }
    const unique = new Map(found.map((window) => [`${window.shift}@${window.start}`, window]));
    return [...unique.values()].sort((a, b) => a.start - b.start || a.shift.localeCompare(b.shift));
  }

  /** The shift on at `at`, or undefined when none is planned. */
  shiftAt(at: number): ShiftWindow | undefined {
    return this.windows(at, at + 1).find((window) => window.start <= at && at < window.end);
  }

  /** The next shift to start after `at`, looking up to two weeks ahead. */
  nextShift(at: number): ShiftWindow | undefined {
    return this.windows(at, at + 14 * DAY_MS).find((window) => window.start > at);
  }

  /** The last shift to end at or before `at`, looking up to two weeks back. */
  previousShift(at: number): ShiftWindow | undefined {
    return this.windows(at - 14 * DAY_MS, at).filter((window) => window.end <= at).pop();
  }
}

/** The users the roster puts on duty for an area (and role, when given) in a shift. */
export function onDuty(roster: readonly RosterEntry[] | undefined, shift: string, area: string, role?: Role): string[] {
  const users = new Set<string>();
  for (const entry of roster ?? []) {
    if (entry.shift === shift && entry.area === area && (role === undefined || entry.role === role)) for (const user of entry.users) users.add(user);
  }
  return [...users].sort();
}
