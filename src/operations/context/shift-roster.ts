/**
 * Who is on shift for an area at an instant: the shift on then in the site's own time zone (plant.yaml `shifts`,
 * `sites[].timezone`) and the roster's people for that shift and area, with their roles. The shift found last is
 * remembered per site, so a burst of signals inside one shift costs no time-zone arithmetic.
 */
import type { SignalContext } from '../../core/context.js';
import { ROLES, type PlantConfig } from '../../core/plant-config.js';
import { onDuty, ShiftCalendar, type ShiftWindow } from '../../core/shift-calendar.js';

export type PeopleOnShift = SignalContext['people'];

export class ShiftRoster {
  readonly #config: PlantConfig;
  readonly #calendars = new Map<string, ShiftCalendar>();
  readonly #lastWindow = new Map<string, ShiftWindow>();

  /** @throws RangeError when a site names a time zone Intl does not know */
  constructor(config: PlantConfig) {
    this.#config = config;
    for (const site of config.sites) this.#calendars.set(site.id, new ShiftCalendar(config.shifts, site.timezone ?? 'UTC'));
  }

  /** The shift on at `at` (epoch ms) at a site, or undefined when none is planned then. */
  shiftAt(site: string | undefined, at: number): ShiftWindow | undefined {
    const key = site ?? '';
    const last = this.#lastWindow.get(key);
    if (last !== undefined && last.start <= at && at < last.end) return last;
    const calendar = (site === undefined ? undefined : this.#calendars.get(site)) ?? this.#defaultCalendar();
    const window = calendar.shiftAt(at);
    if (window !== undefined) this.#lastWindow.set(key, window);
    return window;
  }

  /** The shift at `at` and the roster's people for `area` in it, ordered by role then user. */
  peopleAt(site: string | undefined, area: string | undefined, at: number): PeopleOnShift {
    const window = this.shiftAt(site, at);
    if (window === undefined) return { onShift: [] };
    const people: PeopleOnShift = {
      shift: { id: window.shift, start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() },
      onShift: [],
    };
    if (area === undefined) return people;
    for (const role of ROLES) {
      for (const userId of onDuty(this.#config.roster, window.shift, area, role)) people.onShift.push({ userId, role });
    }
    return people;
  }

  #defaultCalendar(): ShiftCalendar {
    let calendar = this.#calendars.get('');
    if (calendar === undefined) {
      calendar = new ShiftCalendar(this.#config.shifts, this.#config.sites[0]?.timezone ?? 'UTC');
      this.#calendars.set('', calendar);
    }
    return calendar;
  }
}
