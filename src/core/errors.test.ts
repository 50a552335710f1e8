import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CODES, InputError, NotAllowedError, PlantfabricError, UnavailableError } from './errors.js';

describe('error codes', () => {
  const documented = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

  it('every code has a row in docs/errors.md with its HTTP status', () => {
    for (const [code, status] of Object.entries(ERROR_CODES)) {
      const row = documented.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      assert.ok(row, `${code} is missing from docs/errors.md`);
      assert.ok(row.includes(`| ${status} |`), `${code} row should state HTTP ${status}`);
    }
  });

  it('every documented code exists', () => {
    for (const match of documented.matchAll(/^\| `(PF_ERR_[A-Z_]+)` \|/gm)) {
      assert.ok(match[1]! in ERROR_CODES, `${match[1]} is documented but not defined`);
    }
  });

  it('maps codes to HTTP statuses and keeps the cause', () => {
    const cause = new Error('disk full');
    const error = new UnavailableError('PF_ERR_STORE_UNAVAILABLE', 'store down', { cause });
    assert.equal(error.httpStatus, 503);
    assert.equal(error.cause, cause);
    assert.equal(new InputError('PF_ERR_INGEST_SCHEMA', 'bad').httpStatus, 400);
    assert.equal(new NotAllowedError('no').code, 'PF_ERR_ACCESS_DENIED');
    assert.ok(new NotAllowedError('no') instanceof PlantfabricError);
  });
});
