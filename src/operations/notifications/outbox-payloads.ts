/**
 * Reading what the outbox holds: notification requests (channel `notify`, written by cases and routing) and the
 * deliveries this dispatcher expands them into. Both come back from storage as plain JSON, so both are checked
 * before use; a malformed one is failed with the reason instead of crashing the drain.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { SEVERITIES } from '../../core/context.js';
import type { NotificationRequest } from '../../core/notifications.js';

const NotificationRequestSchema = Type.Object({
  key: Type.String({ minLength: 1 }),
  kind: Type.String({ minLength: 1 }),
  recipients: Type.Array(Type.String({ minLength: 1 })),
  title: Type.String(),
  body: Type.String(),
  severity: Type.Union(SEVERITIES.map((severity) => Type.Literal(severity))),
  caseId: Type.Optional(Type.String()),
  at: Type.Number(),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

/** What a delivery's outbox message carries: the request, and who or where it goes to. */
const DeliveryPayloadSchema = Type.Object({
  request: NotificationRequestSchema,
  recipient: Type.Optional(Type.String()),
  address: Type.Optional(Type.String()),
  webhook: Type.Optional(Type.String()),
});
export type DeliveryPayload = Static<typeof DeliveryPayloadSchema> & { request: NotificationRequest };

const requestCheck = TypeCompiler.Compile(NotificationRequestSchema);
const deliveryCheck = TypeCompiler.Compile(DeliveryPayloadSchema);

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function firstError(errors: Iterable<{ path: string; message: string }>): string {
  for (const error of errors) return `${error.path || '/'}: ${error.message}`;
  return 'does not match the schema';
}

/** Checks a `notify` message's payload. */
export function parseRequest(payload: unknown): Parsed<NotificationRequest> {
  if (requestCheck.Check(payload)) return { ok: true, value: payload };
  return { ok: false, message: `not a notification request (${firstError(requestCheck.Errors(payload))})` };
}

/** Checks a delivery message's payload. */
export function parseDelivery(payload: unknown): Parsed<DeliveryPayload> {
  if (deliveryCheck.Check(payload)) return { ok: true, value: payload };
  return { ok: false, message: `not a notification delivery (${firstError(deliveryCheck.Errors(payload))})` };
}
