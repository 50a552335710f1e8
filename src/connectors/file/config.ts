/**
 * The `kind: file` entry of plant.yaml: one watched drop folder of CSV files, many row mappings. Each row mapping is
 * either the core binding shape (a value column mapped with core `mapReading`) or a direct event mapping (event type,
 * subject and data taken from columns).
 */
import { Type, type Static } from '@sinclair/typebox';
import { EVENT_TYPE_PATTERN } from '../../core/event.js';
import { BindingSchema } from '../../core/mapping.js';

export const TIMESTAMP_FORMATS = ['iso', 'epoch-ms', 'epoch-s', 'local'] as const;

export const FileTimestampSchema = Type.Object(
  {
    column: Type.String({ minLength: 1, description: 'Column holding the time of each row.' }),
    format: Type.Union(
      TIMESTAMP_FORMATS.map((format) => Type.Literal(format)),
      {
        default: 'iso',
        description:
          'iso: ISO 8601 with a zone (Z or ±hh:mm); epoch-ms / epoch-s: numbers; local: wall-clock time without a zone ' +
          '(YYYY-MM-DD HH:mm[:ss[.fff]] or DD.MM.YYYY HH:mm[:ss]) in `timezone`.',
      },
    ),
    timezone: Type.Optional(Type.String({ minLength: 1, description: 'IANA zone of local times, e.g. Europe/Berlin (the site timezone). Required for format local.' })),
  },
  { additionalProperties: false },
);
export type FileTimestamp = Static<typeof FileTimestampSchema>;

export const RowSelectorSchema = Type.Object(
  {
    column: Type.String({ minLength: 1 }),
    equals: Type.String({ description: 'The row applies when this column holds exactly this text (after trimming).' }),
  },
  { additionalProperties: false },
);
export type RowSelector = Static<typeof RowSelectorSchema>;

export const BindingRowSchema = Type.Composite([
  Type.Omit(BindingSchema, ['address', 'field']),
  Type.Object({
    when: Type.Optional(RowSelectorSchema),
    value: Type.String({ minLength: 1, description: 'Column holding the value. {column} in equipment or signal stands for that column of the row.' }),
  }),
]);
export type BindingRow = Static<typeof BindingRowSchema>;

export const DATA_TYPES = ['auto', 'number', 'string', 'boolean', 'time'] as const;

export const DataColumnSchema = Type.Union([
  Type.String({ minLength: 1, description: 'Column name; numbers where the cell is a plain number, text otherwise.' }),
  Type.Object(
    {
      column: Type.String({ minLength: 1 }),
      type: Type.Union(
        DATA_TYPES.map((type) => Type.Literal(type)),
        { description: 'auto (default), number, string, boolean, or time (read like the timestamp column, stored as ISO 8601).' },
      ),
    },
    { additionalProperties: false },
  ),
]);
export type DataColumn = Static<typeof DataColumnSchema>;

const Template = Type.String({ minLength: 1, description: 'Text with {column} placeholders, e.g. acme/plant-1/assembly/line-1/{machine}.' });

export const EventRowSchema = Type.Object(
  {
    when: Type.Optional(RowSelectorSchema),
    eventType: Type.String({ pattern: EVENT_TYPE_PATTERN, description: 'A catalogue type or a custom.* type.' }),
    subject: Type.Object(
      {
        equipment: Type.Optional(Template),
        workOrder: Type.Optional(Template),
        operation: Type.Optional(Template),
        material: Type.Optional(Template),
        lot: Type.Optional(Template),
        serial: Type.Optional(Template),
        person: Type.Optional(Template),
        location: Type.Optional(Template),
      },
      { additionalProperties: false },
    ),
    data: Type.Optional(Type.Record(Type.String({ minLength: 1 }), DataColumnSchema, { description: 'Data field → column it comes from.' })),
  },
  { additionalProperties: false },
);
export type EventRow = Static<typeof EventRowSchema>;

export const FileRowSchema = Type.Union([BindingRowSchema, EventRowSchema]);
export type FileRow = Static<typeof FileRowSchema>;

export const FileConfigSchema = Type.Object(
  {
    folder: Type.String({ minLength: 1, description: 'The watched folder. Created when missing if its parent exists.' }),
    pattern: Type.String({ minLength: 1, default: '*.csv', description: 'Which file names to read: * matches any run of characters (case-insensitive).' }),
    doneFolder: Type.Optional(Type.String({ minLength: 1, description: 'Where read files go, with their report. Default <folder>/done.' })),
    failedFolder: Type.Optional(Type.String({ minLength: 1, description: 'Where unreadable files go, with their report. Default <folder>/failed.' })),
    delimiter: Type.String({ minLength: 1, maxLength: 1, default: ',', description: 'Field separator: , or ; (common in European exports) or a tab.' }),
    decimal: Type.Union([Type.Literal('.'), Type.Literal(',')], { default: '.', description: 'Decimal separator of numbers in the file.' }),
    header: Type.Boolean({ default: true, description: 'true: the first row names the columns.' }),
    columns: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Column names for files without a header row. Default: 0, 1, 2, ...' })),
    encoding: Type.Union([Type.Literal('utf-8'), Type.Literal('latin1')], { default: 'utf-8', description: 'latin1 is read as Windows-1252, its superset.' }),
    settleMs: Type.Integer({ minimum: 0, default: 2000, description: 'A file is read only once its size and time have not changed for this long.' }),
    scanIntervalMs: Type.Integer({ minimum: 50, default: 5000, description: 'Folder scan period, the fallback where file system events are missed (network shares).' }),
    maxFileBytes: Type.Integer({ minimum: 1, default: 64 * 1024 * 1024, description: 'Larger files are moved to failed/ unread.' }),
    timestamp: FileTimestampSchema,
    rows: Type.Array(FileRowSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type FileConfig = Static<typeof FileConfigSchema>;

/** True for a direct event mapping, false for the binding shape. */
export function isEventRow(row: FileRow): row is EventRow {
  return 'subject' in row;
}
