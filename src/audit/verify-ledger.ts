/**
 * Walks the whole audit ledger in pages and reports the first broken link, with progress for a long ledger.
 */
import { AuditChainVerifier, type AuditVerification } from '../core/audit.js';
import type { AuditLedger } from '../core/operations-store.js';

const PAGE = 5_000;

/** Verifies every entry from the first; `onProgress` hears the number checked after each page. */
export async function verifyLedger(ledger: AuditLedger, onProgress?: (checked: number) => void): Promise<AuditVerification> {
  const verifier = new AuditChainVerifier();
  let after = 0;
  let checked = 0;
  for (;;) {
    const page = await ledger.read(after, PAGE);
    for (const entry of page) {
      checked += 1;
      if (!verifier.push(entry)) return verifier.result();
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
    onProgress?.(checked);
  }
  return verifier.result();
}
