/**
 * Reading a row's time: ISO 8601 with a zone, epoch milliseconds or seconds, or wall-clock local time in the site's
 * IANA time zone (legacy exports rarely write a zone). ISO without a zone is refused rather than read in whatever zone
 * the server happens to run in.
 */
import type { FileTimestamp } from './config.js';

/** Text → epoch ms, or undefined when the text is not a time in the configured format. */
export type TimeReader = (text: string) => number | undefined;

const ISO_WITH_ZONE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?$/;
const LOCAL_DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const DAY_MS = 86_400_000;

function parseIso(text: string): number | undefined {
  const match = ISO_WITH_ZONE.exec(text);
  if (match === null) return undefined;
  const zone = match[3]!.toUpperCase();
  // Date.parse wants ±hh:mm; exports also write ±hhmm and ±hh.
  const normalisedZone = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3).replace(':', '') || '00'}`;
  const ms = Date.parse(`${match[1]}T${match[2]}${normalisedZone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

function parseEpoch(text: string, scale: number): number | undefined {
  if (!/^[+-]?\d+(\.\d+)?$/.test(text)) return undefined;
  const ms = Math.round(Number(text) * scale);
  return Number.isSafeInteger(ms) && ms >= 0 ? ms : undefined;
}

/** Wall-clock fields read as if they were UTC; undefined when the text is no valid date and time. */
function wallClockAsUtc(text: string): number | undefined {
  let parts: Array<string | undefined>;
  const iso = LOCAL_ISO.exec(text);
  const dotted = iso === null ? LOCAL_DOTTED.exec(text) : null;
  if (iso !== null) parts = iso.slice(1);
  else if (dotted !== null) parts = [dotted[3], dotted[2], dotted[1], dotted[4], dotted[5], dotted[6], undefined];
  else return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(0, 6).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const millis = Number((parts[6] ?? '0').padEnd(3, '0'));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(ms);
  // Date.UTC rolls 31.02. over into March; a date that does not round-trip is not a date.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  return ms;
}

/** The zone's offset from UTC (ms) at an instant, from the platform's time zone database. */
function offsetReader(timeZone: string): (epochMs: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (epochMs) => {
    const fields: Record<string, number> = {};
    for (const part of format.formatToParts(epochMs)) if (part.type !== 'literal') fields[part.type] = Number(part.value);
    const wall = Date.UTC(fields['year']!, fields['month']! - 1, fields['day'], fields['hour'], fields['minute'], fields['second']);
    return wall - Math.floor(epochMs / 1000) * 1000;
  };
}

/**
 * Converts wall-clock time in a zone to an instant. In the hour that occurs twice when clocks go back, the earlier
 * (still summer time) instant is taken; a time that does not exist when clocks go forward is read with the offset
 * before the change (02:30 becomes 03:30 summer time), as most control systems log it.
 */
export function zonedToEpoch(wallAsUtc: number, offsetAt: (epochMs: number) => number): number {
  const before = offsetAt(wallAsUtc - DAY_MS);
  const after = offsetAt(wallAsUtc + DAY_MS);
  const valid = [...new Set([before, after])].map((offset) => wallAsUtc - offset).filter((instant) => wallAsUtc - offsetAt(instant) === instant);
  return valid.length > 0 ? Math.min(...valid) : wallAsUtc - before;
}

/** Builds the reader for the configured format; for local time it holds the zone's formatter. */
export function createTimeReader(spec: FileTimestamp): TimeReader {
  switch (spec.format) {
    case 'iso':
      return (text) => parseIso(text.trim());
    case 'epoch-ms':
      return (text) => parseEpoch(text.trim(), 1);
    case 'epoch-s':
      return (text) => parseEpoch(text.trim(), 1000);
    case 'local': {
      const offsetAt = offsetReader(spec.timezone ?? 'UTC');
      return (text) => {
        const wall = wallClockAsUtc(text.trim());
        return wall === undefined ? undefined : zonedToEpoch(wall, offsetAt);
      };
    }
  }
}
