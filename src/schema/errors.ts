import { GraphQLError } from 'graphql';

// Every error a client may see carries extensions.code (DESIGN.md "API conventions").

export const badUserInput = (field: string, message: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });

export const notFound = (field: string, message: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'NOT_FOUND', field } });

export const conflict = (message: string, field?: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'CONFLICT', ...(field ? { field } : {}) } });

export const unauthenticated = (): GraphQLError =>
  new GraphQLError('missing or wrong API token: send "Authorization: Bearer <LAB_API_TOKEN>"', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

const SHOWN_MAX = 80;

/** A client-supplied string inside an error message: as given, or its start and length when long. */
export const shown = (value: string): string =>
  value.length <= SHOWN_MAX ? value : `${value.slice(0, SHOWN_MAX)}... (${value.length} characters)`;
