import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainAuditEntry, GENESIS_HASH } from '../core/audit.js';
import { auditCsvHeader, auditEntryToCsv, auditEntryToJsonLine } from './export-ledger.js';

const entry = chainAuditEntry(
  { actor: 'mike', action: 'case.commented', subject: { kind: 'case', id: 'c-1' }, reason: 'said "check, then go"', data: { text: '=HYPERLINK("x")' } },
  { seq: 0, hash: GENESIS_HASH },
  Date.UTC(2026, 0, 5, 6),
);

describe('audit export', () => {
  it('writes CSV with quoting, and never a live spreadsheet formula', () => {
    assert.equal(auditCsvHeader(), 'seq,at,actor,action,subject_kind,subject_id,reason,data,prev_hash,hash\r\n');
    const line = auditEntryToCsv(entry);
    assert.ok(line.startsWith('1,2026-01-05T06:00:00.000Z,mike,case.commented,case,c-1,"said ""check, then go""",'), line);
    assert.ok(line.includes('"{""text"":""=HYPERLINK(\\""x\\"")""}"'), line);
    assert.ok(line.endsWith(`,${GENESIS_HASH},${entry.hash}\r\n`));
    const formula = auditEntryToCsv({ ...entry, actor: '=cmd' });
    assert.ok(formula.includes(",'=cmd,"), 'a leading = is defused');
  });
  it('writes JSON lines that parse back to the exact entry', () => {
    assert.deepEqual(JSON.parse(auditEntryToJsonLine(entry)), entry);
  });
});
