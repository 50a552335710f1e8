import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCsvBytes, parseCsv, type CsvParseResult } from './csv.js';

function records(result: CsvParseResult): string[][] {
  assert.equal(result.ok, true, result.ok ? '' : result.message);
  return result.ok ? result.records.map((record) => record.fields) : [];
}

describe('CSV parser', () => {
  it('splits plain records on commas and line ends', () => {
    assert.deepEqual(records(parseCsv('a,b,c\n1,2,3\n')), [['a', 'b', 'c'], ['1', '2', '3']]);
    assert.deepEqual(records(parseCsv('a,b\n1,2')), [['a', 'b'], ['1', '2']], 'the last record needs no line end');
  });

  it('reads quoted fields with embedded delimiters, quotes and line breaks', () => {
    const text = 'id,note\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,""\n';
    assert.deepEqual(records(parseCsv(text)), [['id', 'note'], ['1', 'a, b'], ['2', 'say "hi"'], ['3', 'two\nlines'], ['4', '']]);
  });

  it('accepts CRLF, lone CR and LF line ends, and skips blank lines', () => {
    assert.deepEqual(records(parseCsv('a,b\r\n1,2\r\n\r\n3,4\r5,6\n')), [['a', 'b'], ['1', '2'], ['3', '4'], ['5', '6']]);
  });

  it('drops a byte-order mark', () => {
    assert.deepEqual(records(parseCsv('\uFEFFtime,value\n1,2\n')), [['time', 'value'], ['1', '2']]);
  });

  it('uses the configured delimiter, leaving commas alone', () => {
    assert.deepEqual(records(parseCsv('zeit;wert\n"05.01.2026 06:00";12,5\n', ';')), [['zeit', 'wert'], ['05.01.2026 06:00', '12,5']]);
    assert.deepEqual(records(parseCsv('a\tb\n1\t2', '\t')), [['a', 'b'], ['1', '2']]);
  });

  it('keeps empty fields, leading and trailing', () => {
    assert.deepEqual(records(parseCsv(',a,\n')), [['', 'a', '']]);
  });

  it('reports the first line and the raw text of every record, even across quoted line breaks', () => {
    const result = parseCsv('h1,h2\r\n1,"x\r\ny"\r\n\r\n2,z\r\n');
    assert.ok(result.ok);
    assert.deepEqual(
      result.records.map(({ line, raw }) => ({ line, raw })),
      [
        { line: 1, raw: 'h1,h2' },
        { line: 2, raw: '1,"x\r\ny"' },
        { line: 5, raw: '2,z' },
      ],
    );
  });

  it('flags text after a closing quote on that record only', () => {
    const result = parseCsv('a,b\n"x"y,1\n2,3\n');
    assert.ok(result.ok);
    assert.match(result.records[1]!.error ?? '', /after a closing quote/);
    assert.equal(result.records[2]!.error, undefined);
  });

  it('treats a quote inside an unquoted field as a character', () => {
    assert.deepEqual(records(parseCsv('5" pipe,2\n')), [['5" pipe', '2']]);
  });

  it('fails on a quoted field that is never closed, naming its line', () => {
    const result = parseCsv('a,b\n1,2\n3,"open\n4,5\n');
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.line === 3 && /never closed/.test(result.message));
  });
});

describe('CSV decoding', () => {
  it('decodes UTF-8 and refuses invalid UTF-8', () => {
    assert.deepEqual(decodeCsvBytes(new TextEncoder().encode('Straße'), 'utf-8'), { ok: true, text: 'Straße' });
    assert.equal(decodeCsvBytes(Uint8Array.from([0x61, 0xe4, 0x62]), 'utf-8').ok, false);
  });

  it('decodes latin1 as Windows-1252', () => {
    assert.deepEqual(decodeCsvBytes(Uint8Array.from([0x4d, 0xe4, 0x80]), 'latin1'), { ok: true, text: 'Mä€' });
  });

  it('refuses binary and UTF-16 files', () => {
    const binary = decodeCsvBytes(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), 'latin1');
    assert.ok(!binary.ok && /NUL/.test(binary.message));
    const utf16 = decodeCsvBytes(Uint8Array.from([0xff, 0xfe, 0x61, 0x00]), 'utf-8');
    assert.ok(!utf16.ok && /UTF-16/.test(utf16.message));
  });
});
