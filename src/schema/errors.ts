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
