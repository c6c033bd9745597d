import { GraphQLError, type ValidationRule } from 'graphql';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/**
 * Refuses schema introspection (__schema, __type) with LAB_INTROSPECTION=off, on HTTP and
 * WebSocket alike. __typename stays allowed: clients need it.
 */
export const noIntrospectionRule: ValidationRule = (context) => ({
  Field(node) {
    if (INTROSPECTION_FIELDS.has(node.name.value)) {
      context.reportError(
        new GraphQLError(`schema introspection (${node.name.value}) is turned off on this server (LAB_INTROSPECTION=off)`, {
          nodes: node,
          extensions: { code: 'INTROSPECTION_DISABLED' },
        }),
      );
    }
  },
});
