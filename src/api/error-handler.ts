/**
 * The one place errors become HTTP responses: `{ error: { code, message, details? } }` with the status the code
 * maps to. Unexpected errors are logged with their stack and answered without internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { isPlantfabricError } from '../core/errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (isPlantfabricError(error)) {
      const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
      return reply.status(error.httpStatus).send(body);
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation !== undefined) {
      const issues = fastifyError.validation.map((issue) => ({
        path: `${fastifyError.validationContext ?? ''}${issue.instancePath}`,
        message: issue.message ?? 'invalid',
        ...(issue.params === undefined ? {} : { params: issue.params }),
      }));
      return reply.status(400).send({ error: { code: 'PF_ERR_REQUEST_INVALID', message: `invalid request: ${fastifyError.message}`, details: { issues } } });
    }
    if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      // Fastify's own client errors (body too large, unsupported media type): pass its message on with our code.
      return reply.status(fastifyError.statusCode).send({ error: { code: 'PF_ERR_REQUEST_INVALID', message: fastifyError.message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'PF_ERR_INTERNAL', message: 'internal error; the server log has the details' } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'PF_ERR_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
