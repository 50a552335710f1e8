import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundaryOf, MultipartError, MultipartParser, type MultipartPart } from './multipart.js';

const BOUNDARY = 'a8e12eced4fb871ac096a99bf9728425';

/** A part as cppagent 2.x writes it: delimiter, Content-type, Content-length, blank line, body, CRLF. */
const part = (body: string, lengthSuffix = '') =>
  `--${BOUNDARY}\r\nContent-type: text/xml\r\nContent-length: ${Buffer.byteLength(body)}${lengthSuffix}\r\n\r\n${body}\r\n`;

function feed(parser: MultipartParser, bytes: Buffer, chunkSize: number): MultipartPart[] {
  const parts: MultipartPart[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) parts.push(...parser.push(bytes.subarray(at, at + chunkSize)));
  return parts;
}

describe('multipart stream parser', () => {
  it('finds the boundary in the content types agents send', () => {
    assert.equal(boundaryOf(`multipart/x-mixed-replace;boundary=${BOUNDARY}`), BOUNDARY);
    assert.equal(boundaryOf(`multipart/mixed; boundary="${BOUNDARY}"`), BOUNDARY);
    assert.equal(boundaryOf(`multipart/mixed;boundary=--${BOUNDARY}`), BOUNDARY, 'dashes of the delimiter line are not part of the boundary');
    assert.equal(boundaryOf('text/xml'), undefined);
    assert.equal(boundaryOf(undefined), undefined);
  });

  it('yields each part whole however the bytes are split, body bytes untouched', () => {
    const bodies = ['<a>first</a>', '<b>zweite — ünïcode</b>', `<c>--${BOUNDARY} inside a body is fine with a length</c>`];
    const bytes = Buffer.from(`preamble to ignore\r\n${bodies.map((body) => part(body)).join('')}`);
    for (const size of [1, 2, 7, 64, bytes.length]) {
      const parts = feed(new MultipartParser(BOUNDARY), bytes, size);
      assert.deepEqual(parts.map((item) => item.body.toString('utf8')), bodies, `chunks of ${size}`);
      assert.equal(parts[0]!.headers['content-type'], 'text/xml');
    }
  });

  it('reads cppagent 1.x framing ("Content-length: N;") and parts without a length', () => {
    const withSemicolon = feed(new MultipartParser(BOUNDARY), Buffer.from(part('<x/>', ';') + part('<y/>', ';')), 3);
    assert.deepEqual(withSemicolon.map((item) => item.body.toString()), ['<x/>', '<y/>']);
    const noLength = Buffer.from(`--${BOUNDARY}\r\nContent-Type: text/xml\r\n\r\n<x>1</x>\r\n--${BOUNDARY}\r\nContent-Type: text/xml\r\n\r\n<y>2</y>\r\n--${BOUNDARY}--\r\n`);
    const parser = new MultipartParser(BOUNDARY);
    assert.deepEqual(feed(parser, noLength, 5).map((item) => item.body.toString()), ['<x>1</x>', '<y>2</y>']);
    assert.equal(parser.closed, true, 'the closing delimiter ends the stream');
  });

  it('holds an incomplete part until its last byte arrives', () => {
    const parser = new MultipartParser(BOUNDARY);
    const bytes = Buffer.from(part('<document/>'));
    assert.deepEqual(parser.push(bytes.subarray(0, bytes.length - 4)), []);
    assert.deepEqual(parser.push(bytes.subarray(bytes.length - 4)).map((item) => item.body.toString()), ['<document/>']);
  });

  it('stops on framing it cannot follow', () => {
    assert.throws(() => new MultipartParser(BOUNDARY).push(Buffer.from(`--${BOUNDARY}\r\nnot a header\r\n\r\nbody`)), MultipartError);
    assert.throws(() => new MultipartParser(BOUNDARY).push(Buffer.from(`--${BOUNDARY}\r\nContent-length: lots\r\n\r\n`)), MultipartError);
    assert.throws(() => new MultipartParser(BOUNDARY, 16).push(Buffer.from(`--${BOUNDARY}\r\nContent-length: 17\r\n\r\n`)), /exceeds 16 bytes/);
    assert.throws(() => new MultipartParser(BOUNDARY, 16).push(Buffer.from(`--${BOUNDARY}\r\nContent-type: text/xml\r\n\r\n${'x'.repeat(40)}`)), /exceeds 16 bytes/);
  });
});
