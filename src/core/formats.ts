/**
 * String formats used by the schemas, registered once with TypeBox (Fastify's own validator has them built in).
 */
import { FormatRegistry } from '@sinclair/typebox';

/** RFC 3339 date-time with a zone designator; Date.parse then rejects impossible dates such as month 13. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isDateTime(value: string): boolean {
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** Registers the formats; safe to call more than once. */
export function registerFormats(): void {
  if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isDateTime);
  if (!FormatRegistry.Has('email')) FormatRegistry.Set('email', (value) => EMAIL.test(value));
}
