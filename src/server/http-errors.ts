import type { ErrorRequestHandler } from 'express';

/**
 * Last Express error handler: answers GraphQL-style JSON without a stack trace (Express's
 * default page prints one). Client errors (bad JSON, undecodable URLs) keep their status
 * and message; anything else is logged here and answered as an internal error.
 */
export const jsonErrorHandler: ErrorRequestHandler = (error: { status?: number; statusCode?: number; expose?: boolean; message?: string }, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status = error.status ?? error.statusCode ?? 500;
  const clientError = status >= 400 && status < 500;
  if (!clientError) console.error('internal error in an HTTP request:', error);
  res.status(clientError ? status : 500).json({
    errors: [
      {
        message: clientError ? (error.message ?? 'bad request') : 'internal server error',
        extensions: { code: clientError ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' },
      },
    ],
  });
};
