/**
 * What a pipeline stage returns for an item it cannot pass on: enough to dead-letter it with the reason.
 */
import type { ErrorCode } from '../errors.js';
import type { DeadLetterStage } from '../store.js';

export interface StageRejection {
  stage: DeadLetterStage;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type StageResult<T> = { ok: true; value: T } | { ok: false; rejection: StageRejection };

export const pass = <T>(value: T): StageResult<T> => ({ ok: true, value });
export const reject = <T>(rejection: StageRejection): StageResult<T> => ({ ok: false, rejection });
