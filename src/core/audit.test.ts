import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuditChainVerifier, chainAuditEntry, GENESIS_HASH, type AuditEntry } from './audit.js';

function chain(count: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let previous = { seq: 0, hash: GENESIS_HASH };
  for (let index = 0; index < count; index += 1) {
    const entry = chainAuditEntry({ actor: 'mike', action: 'case.acknowledged', subject: { kind: 'case', id: `c-${index}` }, data: { n: index } }, previous, Date.UTC(2026, 0, 1) + index);
    entries.push(entry);
    previous = entry;
  }
  return entries;
}

function verify(entries: AuditEntry[]) {
  const verifier = new AuditChainVerifier();
  for (const entry of entries) if (!verifier.push(entry)) break;
  return verifier.result();
}

describe('audit hash chain', () => {
  it('verifies an untouched chain and reports its head', () => {
    const entries = chain(5);
    assert.deepEqual(verify(entries), { ok: true, entries: 5, head: { seq: 5, hash: entries[4]!.hash } });
    assert.equal(entries[0]!.prevHash, GENESIS_HASH);
  });
  it('names the first altered entry', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, actor: 'mallory' };
    const result = verify(entries);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.brokenAt, 3);
      assert.match(result.reason, /altered/);
    }
  });
  it('finds a deleted entry and a re-hashed forgery', () => {
    const entries = chain(5);
    const deleted = verify([...entries.slice(0, 2), ...entries.slice(3)]);
    assert.equal(!deleted.ok && deleted.brokenAt, 4);
    // A forger who edits an entry and recomputes its hash still breaks the next link.
    const forged = chain(5);
    const edited = { ...forged[1]!, data: { n: 99 } };
    forged[1] = { ...edited, hash: chainAuditEntry({ actor: edited.actor, action: edited.action, subject: edited.subject!, data: edited.data!, at: Date.parse(edited.at) }, { seq: 1, hash: forged[0]!.hash }, 0).hash };
    const result = verify(forged);
    assert.equal(!result.ok && result.brokenAt, 3);
  });
  it('hashes the same content the same way regardless of key order', () => {
    const a = chainAuditEntry({ actor: 'x', action: 'y', data: { a: 1, b: 2 } }, { seq: 0, hash: GENESIS_HASH }, 0);
    const b = chainAuditEntry({ actor: 'x', action: 'y', data: { b: 2, a: 1 } }, { seq: 0, hash: GENESIS_HASH }, 0);
    assert.equal(a.hash, b.hash);
  });
});
