/**
 * Parsers for command-line option values, shared by the commands so errors read the same everywhere.
 */
import { InvalidArgumentError } from 'commander';

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return port;
}

export function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a whole number of 1 or more');
  return number;
}

/** An ISO 8601 time to epoch ms. */
export function parseTime(value: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidArgumentError(`'${value}' is not an ISO 8601 time such as 2026-05-01T06:00:00Z`);
  return time;
}

export function parsePositiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('expected a number above 0');
  return number;
}
