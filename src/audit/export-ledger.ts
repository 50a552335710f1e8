/**
 * The ledger for an auditor: JSON lines (every field, exactly as chained, so the export itself can be re-verified)
 * or CSV (for a spreadsheet; nested data as JSON text in one column).
 */
import type { AuditEntry } from '../core/audit.js';

export const AUDIT_EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export const AUDIT_CSV_COLUMNS = ['seq', 'at', 'actor', 'action', 'subject_kind', 'subject_id', 'reason', 'data', 'prev_hash', 'hash'] as const;

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs a cell as a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsvHeader(): string {
  return `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
}

export function auditEntryToCsv(entry: AuditEntry): string {
  const cells = [
    String(entry.seq),
    entry.at,
    entry.actor,
    entry.action,
    entry.subject?.kind ?? '',
    entry.subject?.id ?? '',
    entry.reason ?? '',
    entry.data === undefined ? '' : JSON.stringify(entry.data),
    entry.prevHash,
    entry.hash,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function auditEntryToJsonLine(entry: AuditEntry): string {
  return `${JSON.stringify(entry)}\n`;
}
