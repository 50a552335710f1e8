/**
 * Stage 1, decode: bytes to a JSON value. A body that is not JSON is rejected whole, with the parser's reason.
 */
import { pass, reject, type StageResult } from './stage.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeJson(raw: Uint8Array): StageResult<unknown> {
  let text: string;
  try {
    text = decoder.decode(raw);
  } catch (error) {
    return reject({ stage: 'decode', code: 'PF_ERR_INGEST_DECODE', message: 'body is not valid UTF-8', details: { cause: String(error) } });
  }
  // A byte-order mark is legal in UTF-8 files exported by some plant systems, but JSON.parse refuses it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    return reject({ stage: 'decode', code: 'PF_ERR_INGEST_DECODE', message: 'body is empty; expected a JSON event or an array of events' });
  }
  try {
    return pass(JSON.parse(text) as unknown);
  } catch (error) {
    return reject({
      stage: 'decode',
      code: 'PF_ERR_INGEST_DECODE',
      message: `body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
