/**
 * CSV as RFC 4180 writes it, plus what real exports do: a byte-order mark, CRLF or LF line ends, a `;` or tab
 * delimiter. Written by hand (about 80 lines) rather than taken from csv-parse because the connector needs, per record,
 * its first line number and its exact source text (for dead letters and reports), files are read whole, and a dozen
 * lines of state machine are easier to audit than a dependency on the ingest path.
 */

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts (a quoted field may span lines). */
  line: number;
  /** The record's source text without its line break, kept for dead letters. */
  raw: string;
  /** Set when the record is malformed (text after a closing quote); its fields are then best effort. */
  error?: string;
}

export type CsvParseResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

/** Splits `text` into records; blank lines are skipped. Fails only on a quoted field left open at the end. */
export function parseCsv(text: string, delimiter = ','): CsvParseResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let fieldStarted = false;
  let inQuotes = false;
  let afterQuote = false;
  let error: string | undefined;
  let line = 1;
  let recordLine = 1;
  let recordStart = 0;
  let quoteLine = 0;

  const endField = (): void => {
    fields.push(field);
    field = '';
    fieldStarted = false;
    afterQuote = false;
  };
  const endRecord = (end: number): void => {
    endField();
    const raw = source.slice(recordStart, end);
    if (!(fields.length === 1 && raw.trim() === '')) records.push({ fields, line: recordLine, raw, ...(error === undefined ? {} : { error }) });
    fields = [];
    error = undefined;
  };

  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (inQuotes) {
      if (char === '"') {
        if (source[index + 1] === '"') {
          field += '"';
          index += 2;
          continue;
        }
        inQuotes = false;
        afterQuote = true;
      } else {
        if (char === '\n' || (char === '\r' && source[index + 1] !== '\n')) line += 1;
        field += char;
      }
      index += 1;
      continue;
    }
    if (char === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
      quoteLine = line;
    } else if (char === delimiter) {
      endField();
    } else if (char === '\n' || char === '\r') {
      endRecord(index);
      if (char === '\r' && source[index + 1] === '\n') index += 1;
      line += 1;
      recordLine = line;
      recordStart = index + 1;
    } else {
      // Text after a closing quote breaks RFC 4180; keep it, but flag the record so it is rejected, not guessed at.
      if (afterQuote && error === undefined) error = `unexpected text after a closing quote in field ${fields.length + 1}`;
      field += char;
      fieldStarted = true;
    }
    index += 1;
  }
  if (inQuotes) return { ok: false, line: quoteLine, message: `quoted field opened on line ${quoteLine} is never closed` };
  if (fieldStarted || fields.length > 0 || recordStart < source.length) endRecord(source.length);
  return { ok: true, records };
}

export type DecodeResult = { ok: true; text: string } | { ok: false; message: string };

/** Decodes a file's bytes, refusing what is plainly not a text file in that encoding. */
export function decodeCsvBytes(bytes: Uint8Array, encoding: 'utf-8' | 'latin1'): DecodeResult {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { ok: false, message: 'the file is UTF-16 ("Unicode text"); export it as UTF-8 CSV' };
  }
  if (bytes.includes(0)) return { ok: false, message: 'the file contains NUL bytes: it is not a text file' };
  if (encoding === 'latin1') return { ok: true, text: decodeWindows1252(bytes) };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch (error) {
    return { ok: false, message: `the file is not valid UTF-8 (${(error as Error).message}); set encoding: latin1 for Windows exports` };
  }
}

/** 0x80–0x9F in Windows-1252 (€, „, “, ...); 0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned and stay as they are. */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/**
 * Latin-1 as Windows exports mean it: Windows-1252, its superset (what browsers do for the label latin1). Decoded here
 * because Node's TextDecoder treats windows-1252 as plain ISO-8859-1.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80]!);
}
