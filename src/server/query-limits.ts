import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  valueFromASTUntyped,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type VariableDefinitionNode,
} from 'graphql';
import { METRIC_POINTS_MAX, RUNS_PAGE_MAX } from '../schema/validation/ranges.js';

export interface QueryLimits {
  /** Deepest nesting of fields (a top-level field is depth 1). */
  maxDepth: number;
  /** Largest cost (see below). */
  maxCost: number;
}

/**
 * Arguments that set how many items a field returns, with the most the API allows. A value
 * given as a variable counts at the variable's default, or at this maximum without one
 * (validation runs before variables are known, and once per document).
 */
const SIZE_ARGUMENTS: Record<string, number> = { first: RUNS_PAGE_MAX, maxPoints: METRIC_POINTS_MAX };
/** Lists whose length the size argument of the field above them already counted. */
const SIZED_BY_PARENT = new Set(['edges', 'points']);
/** Nominal length of any other list. */
const LIST_FACTOR = 10;

interface Measure {
  depth: number;
  cost: number;
}

/**
 * A validation rule that refuses operations nested deeper than `maxDepth` fields or
 * costing more than `maxCost`. Cost estimates how many values a response can hold: each
 * field costs 1 for every item of the lists above it, where a list with a size argument
 * (first, maxPoints) counts its value and any other list counts LIST_FACTOR. Fragments are
 * measured once each, so a document whose fragments expand exponentially is refused
 * without being expanded. Applied to HTTP (Apollo validationRules) and WebSocket
 * operations (graphql-ws validate).
 */
export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return (context: ValidationContext) => {
    const fragmentMeasures = new Map<string, Measure>();
    const inProgress = new Set<string>();
    let variableDefaults = new Map<string, VariableDefinitionNode>();

    const sizeOf = (field: FieldNode, name: string): number => {
      const arg = field.arguments?.find((a) => a.name.value === name);
      const max = SIZE_ARGUMENTS[name];
      if (!arg) return -1;
      let value: unknown;
      if (arg.value.kind === Kind.VARIABLE) {
        const definition = variableDefaults.get(arg.value.name.value);
        value = definition?.defaultValue ? valueFromASTUntyped(definition.defaultValue) : max;
      } else value = valueFromASTUntyped(arg.value);
      return typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(value, 0), max) : max;
    };

    const fieldDef = (parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined => {
      if (name === '__typename') return TypeNameMetaFieldDef;
      if (parent === context.getSchema().getQueryType()) {
        if (name === '__schema') return SchemaMetaFieldDef;
        if (name === '__type') return TypeMetaFieldDef;
      }
      return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    };

    /** Depth and cost of a selection set whose parent lists multiply it by 1. */
    const measure = (selectionSet: SelectionSetNode, parent: GraphQLNamedType): Measure => {
      let depth = 0;
      let cost = 0;
      for (const selection of selectionSet.selections) {
        let inner: Measure;
        if (selection.kind === Kind.FIELD) {
          const definition = fieldDef(parent, selection.name.value);
          if (!definition) continue; // FieldsOnCorrectTypeRule reports it
          const sized = Object.keys(SIZE_ARGUMENTS)
            .map((name) => sizeOf(selection, name))
            .find((n) => n >= 0);
          const list = isListType(getNullableType(definition.type));
          const factor = sized ?? (list && !SIZED_BY_PARENT.has(selection.name.value) ? LIST_FACTOR : 1);
          const below = selection.selectionSet ? measure(selection.selectionSet, getNamedType(definition.type)) : { depth: 0, cost: 0 };
          inner = { depth: below.depth + 1, cost: 1 + factor * below.cost };
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? context.getSchema().getType(selection.typeCondition.name.value) : parent;
          inner = type ? measure(selection.selectionSet, type) : { depth: 0, cost: 0 };
        } else {
          inner = measureFragment(selection.name.value);
        }
        depth = Math.max(depth, inner.depth);
        cost += inner.cost;
      }
      return { depth, cost };
    };

    const measureFragment = (name: string): Measure => {
      const known = fragmentMeasures.get(name);
      if (known) return known;
      const fragment = context.getFragment(name);
      // Unknown fragments and cycles are reported by KnownFragmentNamesRule and NoFragmentCyclesRule.
      if (!fragment || inProgress.has(name)) return { depth: 0, cost: 0 };
      const type = context.getSchema().getType(fragment.typeCondition.name.value);
      if (!type) return { depth: 0, cost: 0 };
      inProgress.add(name);
      const result = measure(fragment.selectionSet, type);
      inProgress.delete(name);
      fragmentMeasures.set(name, result);
      return result;
    };

    return {
      OperationDefinition(operation: OperationDefinitionNode) {
        const schema = context.getSchema();
        const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
        if (!root) return false;
        variableDefaults = new Map((operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, v]));
        const { depth, cost } = measure(operation.selectionSet, root);
        const name = operation.name ? `operation ${operation.name.value}` : 'the operation';
        if (depth > limits.maxDepth) {
          context.reportError(
            new GraphQLError(`${name} nests fields ${depth} deep; the server allows at most ${limits.maxDepth} (LAB_MAX_QUERY_DEPTH)`, {
              nodes: operation,
              extensions: { code: 'QUERY_TOO_COMPLEX', depth, maxDepth: limits.maxDepth },
            }),
          );
        }
        if (cost > limits.maxCost) {
          context.reportError(
            new GraphQLError(
              `${name} could return about ${cost} values; the server allows at most ${limits.maxCost} (LAB_MAX_QUERY_COST): ask for fewer fields, aliases or items (first, maxPoints)`,
              { nodes: operation, extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost: limits.maxCost } },
            ),
          );
        }
        return false;
      },
    };
  };
}
