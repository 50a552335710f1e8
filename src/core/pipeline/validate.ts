/**
 * Stage 2, validate: one item against the canonical input schema and the catalogue entry of its type, then
 * normalised into a canonical event (id derived from content when absent, times in UTC, defaults filled).
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { EventInputSchema, SampleSchema, type CanonicalEvent, type EventInput, type Sample } from '../event.js';
import { CUSTOM_EVENT_PREFIX, EVENT_TYPES, eventTypeInfo } from '../event-types.js';
import { registerFormats } from '../formats.js';
import { contentId } from './event-id.js';
import { pass, reject, type StageResult } from './stage.js';

registerFormats();

const MAX_REPORTED_ERRORS = 10;
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const inputCheck = TypeCompiler.Compile(EventInputSchema);
const sampleCheck = TypeCompiler.Compile(SampleSchema);
const dataChecks = new Map<string, TypeCheck<TSchema>>();

export interface SchemaIssue {
  path: string;
  message: string;
}

function issuesOf(check: TypeCheck<TSchema>, value: unknown, prefix = ''): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  for (const error of check.Errors(value)) {
    issues.push({ path: prefix + (error.path || '/'), message: error.message });
    if (issues.length >= MAX_REPORTED_ERRORS) break;
  }
  return issues;
}

function schemaRejection<T>(message: string, issues: SchemaIssue[]): StageResult<T> {
  const first = issues[0];
  const summary = first === undefined ? message : `${message}: ${first.path} ${first.message}`;
  return reject({ stage: 'validate', code: 'PF_ERR_INGEST_SCHEMA', message: summary, details: { issues } });
}

function dataCheckFor(type: string): TypeCheck<TSchema> | undefined {
  const info = eventTypeInfo(type);
  if (info === undefined) return undefined;
  let check = dataChecks.get(type);
  if (check === undefined) {
    check = TypeCompiler.Compile(info.data);
    dataChecks.set(type, check);
  }
  return check;
}

/** Validates one submitted event and returns it in canonical form (without crosswalk resolution yet). */
export function validateEvent(value: unknown, receivedAt: string): StageResult<CanonicalEvent> {
  if (!inputCheck.Check(value)) return schemaRejection('event does not match the canonical event schema', issuesOf(inputCheck, value));
  const input: EventInput = value;
  const info = eventTypeInfo(input.type);
  if (info === undefined && !input.type.startsWith(CUSTOM_EVENT_PREFIX)) {
    return reject({
      stage: 'validate',
      code: 'PF_ERR_INGEST_SCHEMA',
      message: `unknown event type '${input.type}'; use a catalogue type or the '${CUSTOM_EVENT_PREFIX}' prefix`,
      details: { issues: [{ path: '/type', message: 'not in the catalogue' }], allowed: Object.keys(EVENT_TYPES) },
    });
  }
  const subject = input.subject ?? {};
  const missing = (info?.requires ?? []).filter((field) => subject[field] === undefined);
  if (missing.length > 0) {
    return schemaRejection(`event type '${input.type}' needs subject ${missing.join(', ')}`, missing.map((field) => ({ path: `/subject/${field}`, message: 'required' })));
  }
  const data = input.data ?? {};
  const dataCheck = dataCheckFor(input.type);
  if (dataCheck !== undefined && !dataCheck.Check(data)) {
    return schemaRejection(`data does not match '${input.type}'`, issuesOf(dataCheck, data, '/data'));
  }
  // Most producers already send UTC with milliseconds; only other forms need the parse-and-format round trip.
  const occurredAt = CANONICAL_UTC.test(input.occurredAt) ? input.occurredAt : new Date(input.occurredAt).toISOString();
  const quality = input.quality ?? 'good';
  // Built as one literal (not by spreading) because this runs once per event on the hot path.
  const id = input.id ?? contentId('ev', { type: input.type, occurredAt, source: input.source, subject, data, quality });
  return pass({ id, type: input.type, occurredAt, receivedAt, source: input.source, subject, data, quality });
}

/** Validates one historian sample. */
export function validateSample(value: unknown): StageResult<Sample> {
  if (!sampleCheck.Check(value)) return schemaRejection('sample does not match the sample schema', issuesOf(sampleCheck, value));
  if (!Number.isFinite(value.value)) {
    return schemaRejection('sample value must be a finite number', [{ path: '/value', message: 'not finite' }]);
  }
  return pass(value);
}
