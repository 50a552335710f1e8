/**
 * Schemas shared by several routes, in TypeBox so the same definitions feed validation, serialisation and OpenAPI.
 */
import { Type } from '@sinclair/typebox';
import { CanonicalEventSchema } from '../core/event.js';

export const ErrorResponseSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'A stable PF_ERR_* code; see docs/errors.md' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse' },
);

export const StoredEventSchema = Type.Composite([CanonicalEventSchema, Type.Object({ position: Type.Integer({ minimum: 1 }) })]);

export const errorResponses = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  503: ErrorResponseSchema,
};
