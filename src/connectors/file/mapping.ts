/**
 * Pure CSV-file mapping: bytes → decoded text → records → cells by column name → events and samples, with every row
 * that cannot be mapped kept with its line number and reason. The binding shape reuses core `mapReading`; direct
 * event rows build the canonical event from columns. Mapping memory (state changes, counter baselines) lives for one
 * file only, so the same file always maps to the same output: re-dropping it cannot create different events.
 */
import type { EventInput, EventSubject, Sample } from '../../core/event.js';
import { mapReading, type Binding, type MappingMemory, type MappingResult, type MappingSource } from '../../core/mapping.js';
import { isEventRow, type BindingRow, type DataColumn, type EventRow, type FileConfig, type FileRow } from './config.js';
import { decodeCsvBytes, parseCsv } from './csv.js';
import { createTimeReader, type TimeReader } from './time.js';

/** A row's cells by column name. */
export type Cells = ReadonlyMap<string, string>;

/** Per-equipment mapping memory for one file. */
export type FileMemory = Map<string, MappingMemory>;

export interface RowContext {
  source: MappingSource;
  memory: FileMemory;
  decimal: '.' | ',';
  readTime: TimeReader;
}

export type RowResult =
  | { kind: 'mapped'; events: EventInput[]; samples: Sample[]; skipped: number }
  | { kind: 'unmatched' }
  | { kind: 'rejected'; message: string };

type Filled = { ok: true; text: string } | { ok: false; message: string };

function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]!);
}

/** Replaces every `{column}` with that column's (trimmed) cell; a missing column or an empty cell is an error. */
export function fillTemplate(template: string, cells: Cells): Filled {
  for (const column of placeholders(template)) {
    const cell = cells.get(column);
    if (cell === undefined) return { ok: false, message: `no column '${column}'` };
    if (cell.trim() === '') return { ok: false, message: `column '${column}' is empty` };
  }
  return { ok: true, text: template.replace(/\{([^{}]+)\}/g, (_whole, column: string) => cells.get(column)!.trim()) };
}

/** A number written with the file's decimal separator (no thousands separators), or undefined. */
export function parseNumber(text: string, decimal: '.' | ','): number | undefined {
  let trimmed = text.trim();
  if (decimal === ',') {
    if (trimmed.includes('.')) return undefined;
    trimmed = trimmed.replace(',', '.');
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : undefined;
}

/**
 * A number when the cell is plainly one, the trimmed text otherwise. A leading zero (`000123`) marks an identifier
 * (order or part number), which stays text.
 */
export function autoValue(text: string, decimal: '.' | ','): number | string {
  const trimmed = text.trim();
  if (/^[+-]?0\d/.test(trimmed)) return trimmed;
  return parseNumber(trimmed, decimal) ?? trimmed;
}

function parseBoolean(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return true;
  if (['false', '0', 'no', 'off'].includes(lower)) return false;
  return undefined;
}

/** Every column the configuration reads, so a file lacking one is refused as a whole. */
export function referencedColumns(config: Pick<FileConfig, 'timestamp' | 'rows'>): string[] {
  const columns = new Set<string>([config.timestamp.column]);
  for (const row of config.rows) {
    if (row.when !== undefined) columns.add(row.when.column);
    if (isEventRow(row)) {
      for (const template of Object.values(row.subject)) if (template !== undefined) placeholders(template).forEach((column) => columns.add(column));
      for (const spec of Object.values(row.data ?? {})) columns.add(typeof spec === 'string' ? spec : spec.column);
    } else {
      columns.add(row.value);
      [...placeholders(row.equipment), ...placeholders(row.signal)].forEach((column) => columns.add(column));
    }
  }
  return [...columns];
}

/** Problems no file could fix: each makes the connector refuse to start. */
export function configProblems(config: Pick<FileConfig, 'timestamp' | 'rows' | 'columns'>): string[] {
  const problems: string[] = [];
  const { format, timezone } = config.timestamp;
  if (format === 'local' && timezone === undefined) problems.push('timestamp.timezone is required for format local (the site timezone, e.g. Europe/Berlin)');
  if (timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    } catch {
      problems.push(`timestamp.timezone '${timezone}' is not an IANA time zone`);
    }
  }
  if (config.columns !== undefined) {
    const missing = referencedColumns(config).filter((column) => !config.columns!.includes(column));
    if (missing.length > 0) problems.push(`columns does not name ${missing.join(', ')}, which the mapping reads`);
  }
  return problems;
}

function selected(row: FileRow, cells: Cells): boolean {
  return row.when === undefined || cells.get(row.when.column)?.trim() === row.when.equals;
}

function mapBindingRow(row: BindingRow, cells: Cells, ts: number, context: RowContext): MappingResult | { kind: 'reject'; message: string } {
  const equipment = fillTemplate(row.equipment, cells);
  if (!equipment.ok) return { kind: 'reject', message: `equipment: ${equipment.message}` };
  const signal = fillTemplate(row.signal, cells);
  if (!signal.ok) return { kind: 'reject', message: `signal: ${signal.message}` };
  const cell = cells.get(row.value);
  if (cell === undefined) return { kind: 'reject', message: `no column '${row.value}'` };
  // Sparse exports leave cells empty where nothing was recorded: nothing to map, not an error.
  if (cell.trim() === '') return { kind: 'skip', reason: `column '${row.value}' is empty` };
  const { when: _when, value: column, ...rest } = row;
  const binding: Binding = { ...rest, address: column, equipment: equipment.text, signal: signal.text };
  // States and alarms match enum keys as written; the rest are numbers in the file's decimal notation.
  const value = row.as === 'state' || row.as === 'alarm' ? cell.trim() : (parseNumber(cell, context.decimal) ?? cell.trim());
  let memory = context.memory.get(equipment.text);
  if (memory === undefined) context.memory.set(equipment.text, (memory = new Map()));
  return mapReading(binding, { address: column, value, ts, quality: 'good' }, memory, context.source);
}

function dataValue(spec: DataColumn, cell: string, context: RowContext): { ok: true; value: unknown } | { ok: false; message: string } {
  const type = typeof spec === 'string' ? 'auto' : spec.type;
  const column = typeof spec === 'string' ? spec : spec.column;
  switch (type) {
    case 'auto':
      return { ok: true, value: autoValue(cell, context.decimal) };
    case 'string':
      return { ok: true, value: cell.trim() };
    case 'number': {
      const number = parseNumber(cell, context.decimal);
      return number === undefined ? { ok: false, message: `column '${column}': ${JSON.stringify(cell)} is not a number` } : { ok: true, value: number };
    }
    case 'boolean': {
      const flag = parseBoolean(cell);
      return flag === undefined ? { ok: false, message: `column '${column}': ${JSON.stringify(cell)} is not true or false` } : { ok: true, value: flag };
    }
    case 'time': {
      const ms = context.readTime(cell);
      return ms === undefined ? { ok: false, message: `column '${column}': ${JSON.stringify(cell)} is not a time` } : { ok: true, value: new Date(ms).toISOString() };
    }
  }
}

function mapEventRow(row: EventRow, cells: Cells, ts: number, context: RowContext): MappingResult | { kind: 'reject'; message: string } {
  const subject: EventSubject = {};
  for (const [key, template] of Object.entries(row.subject) as Array<[keyof EventSubject, string | undefined]>) {
    if (template === undefined) continue;
    const filled = fillTemplate(template, cells);
    if (!filled.ok) return { kind: 'reject', message: `subject.${key}: ${filled.message}` };
    subject[key] = filled.text;
  }
  const data: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(row.data ?? {})) {
    const column = typeof spec === 'string' ? spec : spec.column;
    const cell = cells.get(column);
    if (cell === undefined) return { kind: 'reject', message: `no column '${column}'` };
    if (cell.trim() === '') continue;
    const converted = dataValue(spec, cell, context);
    if (!converted.ok) return { kind: 'reject', message: converted.message };
    data[key] = converted.value;
  }
  // No file name or line in the source: the same rows exported again under another name are the same events.
  const event: EventInput = { type: row.eventType, occurredAt: new Date(ts).toISOString(), source: { ...context.source }, subject, data, quality: 'good' };
  return { kind: 'event', event };
}

/** Applies every row mapping whose selector matches; one failing mapping rejects the whole row. */
export function mapRow(rows: readonly FileRow[], cells: Cells, ts: number, context: RowContext): RowResult {
  const matching = rows.filter((row) => selected(row, cells));
  if (matching.length === 0) return { kind: 'unmatched' };
  const events: EventInput[] = [];
  const samples: Sample[] = [];
  let skipped = 0;
  for (const row of matching) {
    const result = isEventRow(row) ? mapEventRow(row, cells, ts, context) : mapBindingRow(row, cells, ts, context);
    if (result.kind === 'reject') return { kind: 'rejected', message: result.message };
    if (result.kind === 'sample') samples.push(result.sample);
    else if (result.kind === 'event') events.push(result.event);
    else skipped += 1;
  }
  return { kind: 'mapped', events, samples, skipped };
}

export interface RejectedRow {
  line: number;
  raw: string;
  reason: string;
}

export type FileMapping =
  | { ok: true; rowsRead: number; events: EventInput[]; samples: Sample[]; skipped: number; unmatched: number; rejected: RejectedRow[] }
  | { ok: false; code: 'PF_ERR_INGEST_DECODE' | 'PF_ERR_INGEST_SCHEMA'; message: string };

export type FileMappingConfig = Pick<FileConfig, 'delimiter' | 'decimal' | 'header' | 'columns' | 'encoding' | 'timestamp' | 'rows'>;

/** Builds the mapper for one connector: the time reader (and its time zone formatter) is made once. */
export function createFileMapper(config: FileMappingConfig, source: MappingSource): (bytes: Uint8Array) => FileMapping {
  const readTime = createTimeReader(config.timestamp);
  const required = referencedColumns(config);
  return (bytes) => mapFile(bytes, config, source, readTime, required);
}

function mapFile(bytes: Uint8Array, config: FileMappingConfig, source: MappingSource, readTime: TimeReader, required: string[]): FileMapping {
  const decoded = decodeCsvBytes(bytes, config.encoding);
  if (!decoded.ok) return { ok: false, code: 'PF_ERR_INGEST_DECODE', message: decoded.message };
  const parsed = parseCsv(decoded.text, config.delimiter);
  if (!parsed.ok) return { ok: false, code: 'PF_ERR_INGEST_DECODE', message: `line ${parsed.line}: ${parsed.message}` };
  const records = [...parsed.records];
  let names: string[] | undefined = config.columns;
  if (config.header && records.length > 0) {
    const header = records.shift()!;
    if (header.error !== undefined) return { ok: false, code: 'PF_ERR_INGEST_DECODE', message: `header: ${header.error}` };
    names = header.fields.map((name) => name.trim());
    const missing = required.filter((column) => !names!.includes(column));
    if (missing.length > 0) {
      return { ok: false, code: 'PF_ERR_INGEST_SCHEMA', message: `the header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (it has ${names.join(', ')})` };
    }
  }
  const context: RowContext = { source, memory: new Map(), decimal: config.decimal, readTime };
  const result = { ok: true as const, rowsRead: 0, events: [] as EventInput[], samples: [] as Sample[], skipped: 0, unmatched: 0, rejected: [] as RejectedRow[] };
  const timeColumn = config.timestamp.column;
  for (const record of records) {
    result.rowsRead += 1;
    const reject = (reason: string): void => void result.rejected.push({ line: record.line, raw: record.raw, reason });
    if (record.error !== undefined) {
      reject(record.error);
      continue;
    }
    const cells = new Map<string, string>();
    // The first column of a name wins, so a repeated header name cannot silently replace the one a mapping meant.
    record.fields.forEach((field, index) => {
      const name = names?.[index] ?? String(index);
      if (!cells.has(name)) cells.set(name, field);
    });
    const timeText = cells.get(timeColumn);
    if (timeText === undefined) {
      reject(`no column '${timeColumn}' (the row has ${record.fields.length} fields)`);
      continue;
    }
    const ts = readTime(timeText);
    if (ts === undefined) {
      reject(`time ${JSON.stringify(timeText)} in column '${timeColumn}' is not ${config.timestamp.format}${config.timestamp.format === 'iso' ? ' with a zone' : ''}`);
      continue;
    }
    const mapped = mapRow(config.rows, cells, ts, context);
    if (mapped.kind === 'rejected') reject(mapped.message);
    else if (mapped.kind === 'unmatched') result.unmatched += 1;
    else {
      result.events.push(...mapped.events);
      result.samples.push(...mapped.samples);
      result.skipped += mapped.skipped;
    }
  }
  return result;
}
