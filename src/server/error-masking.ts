import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** SQLite failures that mean the data dir cannot take writes, with what the operator can do. */
const STORAGE_FAILURES: [RegExp, string][] = [
  [/^SQLITE_FULL/, 'its disk is full: free space in the data dir (LAB_DATA_DIR), then retry'],
  [/^SQLITE_(READONLY|CANTOPEN|IOERR)/, 'the data dir (LAB_DATA_DIR) cannot be written: check the disk and its permissions, then retry'],
];

/** graphql-js quotes bad values whole ("Int cannot represent ... "<1 MB string>""): keep messages short. */
const MESSAGE_MAX = 1000;
const capped = (message: string): string => (message.length <= MESSAGE_MAX ? message : `${message.slice(0, MESSAGE_MAX)}... (message cut at ${MESSAGE_MAX} characters)`);

/**
 * Errors with a code the client can act on pass through (messages capped in length); a database that cannot be written
 * becomes STORAGE_UNAVAILABLE saying why; anything else (a bug) is logged here and reaches
 * the client only as "internal server error". No stack traces leave the server.
 */
export function maskError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code;
  if (original instanceof GraphQLError || (code !== undefined && code !== 'INTERNAL_SERVER_ERROR')) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    // Apollo files every validation error under GRAPHQL_VALIDATION_FAILED; our own rules
    // (query limits, introspection) keep their code, as they do over the WebSocket.
    const ruleCode = original instanceof GraphQLError && original.originalError instanceof GraphQLError ? original.originalError.extensions.code : undefined;
    return { ...formatted, message: capped(formatted.message), extensions: ruleCode ? { ...extensions, code: ruleCode } : extensions };
  }
  const sqliteCode = (original as { code?: unknown } | null)?.code;
  const storage = typeof sqliteCode === 'string' ? STORAGE_FAILURES.find(([pattern]) => pattern.test(sqliteCode)) : undefined;
  console.error('internal error in a GraphQL operation:', original);
  if (storage) {
    return {
      message: `the server could not store this (${(original as Error).message}): ${storage[1]}`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'STORAGE_UNAVAILABLE' },
    };
  }
  return { message: 'internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
