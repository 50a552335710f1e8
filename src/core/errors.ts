/**
 * One error family for the whole product. Every error carries a stable `code` (`PF_ERR_<AREA>_<WHAT>`) that callers
 * branch on; the message is for people. Each code has a row in docs/errors.md, and a test keeps the two in step.
 */

/** Every error code Plantfabric can return, with the HTTP status it maps to. */
export const ERROR_CODES = {
  PF_ERR_INTERNAL: 500,
  PF_ERR_CONFIG_INVALID: 400,
  PF_ERR_CONFIG_NOT_FOUND: 400,
  PF_ERR_INGEST_DECODE: 400,
  PF_ERR_INGEST_SCHEMA: 400,
  PF_ERR_INGEST_UNKNOWN_ID: 400,
  PF_ERR_INGEST_UNAVAILABLE: 503,
  PF_ERR_ENGINE_HANDLER: 500,
  PF_ERR_REQUEST_INVALID: 400,
  PF_ERR_AUTH_REQUIRED: 401,
  PF_ERR_AUTH_FAILED: 401,
  PF_ERR_WEBHOOK_AUTH: 401,
  PF_ERR_ACCESS_DENIED: 403,
  PF_ERR_NOT_FOUND: 404,
  PF_ERR_CONFLICT: 409,
  PF_ERR_DEADLETTER_NOT_FOUND: 404,
  PF_ERR_CASE_NOT_FOUND: 404,
  PF_ERR_CASE_TRANSITION: 409,
  PF_ERR_CASE_NOT_VERIFIED: 409,
  PF_ERR_NOTIFICATION_NOT_FOUND: 404,
  PF_ERR_NOTIFICATION_DELIVERY: 502,
  PF_ERR_STORE_UNAVAILABLE: 503,
  PF_ERR_STORE_MIGRATION: 500,
  PF_ERR_PROTOCOL: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorOptions {
  cause?: unknown;
  /** Structured detail for clients (field paths, allowed values, rejected items). */
  details?: unknown;
}

/** Base class of every error Plantfabric raises on purpose. */
export class PlantfabricError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }

  /** The HTTP status this error maps to; the one place that mapping lives. */
  get httpStatus(): number {
    return ERROR_CODES[this.code];
  }
}

/** Input that can never succeed as sent (HTTP 400). */
export class InputError extends PlantfabricError {}
/** The caller is not authenticated (HTTP 401). */
export class AuthError extends PlantfabricError {}
/** The caller is authenticated but may not do this here (HTTP 403). */
export class NotAllowedError extends PlantfabricError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('PF_ERR_ACCESS_DENIED', message, options);
  }
}
/** The thing asked for does not exist (HTTP 404). */
export class NotFoundError extends PlantfabricError {}
/** The request conflicts with the current state (HTTP 409). */
export class ConflictError extends PlantfabricError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('PF_ERR_CONFLICT', message, options);
  }
}
/** A dependency (store, broker) is unavailable right now; retrying later may work (HTTP 503). */
export class UnavailableError extends PlantfabricError {}
/** A remote system answered in a way its protocol does not allow (HTTP 502). */
export class ProtocolError extends PlantfabricError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('PF_ERR_PROTOCOL', message, options);
  }
}

export function isPlantfabricError(value: unknown): value is PlantfabricError {
  return value instanceof PlantfabricError;
}

/** A readable message for any thrown value, for logs and dead-letter reasons. */
export function describeError(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}
