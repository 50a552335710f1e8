/**
 * The shift calendar in site local time: shifts start at fixed times of day, each runs until the next one starts.
 * Local time is UTC plus a fixed offset (the demo ignores daylight saving on purpose: its week never crosses one).
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** One shift occurrence. */
export interface Shift {
  id: string;
  /** Simulated epoch ms. */
  start: number;
  end: number;
}

/** The site's UTC offset in minutes: the configured one, else the offset written in the start instant (Z is 0). */
export function siteOffsetMinutes(config: { start: string; utcOffsetMinutes?: number | undefined }): number {
  if (config.utcOffsetMinutes !== undefined) return config.utcOffsetMinutes;
  const match = /([+-])(\d{2}):(\d{2})$/.exec(config.start);
  if (match === null) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** Shifts by local time of day. */
export class ShiftCalendar {
  readonly #offsetMs: number;
  /** Shift starts as minutes after local midnight, ascending. */
  readonly #starts: Array<{ id: string; minute: number }>;

  constructor(shifts: ReadonlyArray<{ id: string; start: string }>, utcOffsetMinutes: number) {
    this.#offsetMs = utcOffsetMinutes * MINUTE_MS;
    this.#starts = shifts
      .map((shift) => {
        const [hours, minutes] = shift.start.split(':').map(Number);
        return { id: shift.id, minute: (hours ?? 0) * 60 + (minutes ?? 0) };
      })
      .sort((a, b) => a.minute - b.minute);
  }

  /** Shift starts (epoch ms) of the local days around `t`, ascending. */
  #startsAround(t: number): Array<{ id: string; at: number }> {
    const localDay = Math.floor((t + this.#offsetMs) / DAY_MS);
    const out: Array<{ id: string; at: number }> = [];
    for (let day = localDay - 1; day <= localDay + 1; day += 1) {
      for (const start of this.#starts) out.push({ id: start.id, at: day * DAY_MS + start.minute * MINUTE_MS - this.#offsetMs });
    }
    return out;
  }

  /** The shift running at `t`. */
  shiftAt(t: number): Shift {
    const starts = this.#startsAround(t);
    const index = starts.findLastIndex((start) => start.at <= t);
    const current = starts[index]!;
    return { id: current.id, start: current.at, end: starts[index + 1]!.at };
  }

  /** The first shift starting after `t`. */
  nextShiftAfter(t: number): Shift {
    return this.shiftAt(this.shiftAt(t).end);
  }

  /** Shift starts in the interval (from, to], oldest first. */
  startsBetween(from: number, to: number): Shift[] {
    const found: Shift[] = [];
    let shift = this.nextShiftAfter(from);
    while (shift.start <= to) {
      found.push(shift);
      shift = this.shiftAt(shift.end);
    }
    return found;
  }
}
