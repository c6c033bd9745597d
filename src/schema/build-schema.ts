import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { RunEventBus } from '../server/run-event-bus.js';
import { ComparisonResolver } from './resolvers/comparison-resolver.js';
import { DatasetResolver } from './resolvers/dataset-resolver.js';
import { EvaluationResolver } from './resolvers/evaluation-resolver.js';
import { RunFieldsResolver } from './resolvers/run-fields-resolver.js';
import { RunMutationResolver } from './resolvers/run-mutation-resolver.js';
import { RunQueryResolver } from './resolvers/run-query-resolver.js';
import { SubscriptionResolver } from './resolvers/subscription-resolver.js';

/**
 * The lab's GraphQL schema, publishing through `events`. Inputs are validated by the
 * resolvers (named fields and ranges), not class-validator.
 */
export function buildLabSchema(events: RunEventBus): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      DatasetResolver,
      RunQueryResolver,
      RunFieldsResolver,
      EvaluationResolver,
      RunMutationResolver,
      ComparisonResolver,
      SubscriptionResolver,
    ],
    validate: false,
    pubSub: events.pubSub,
  });
}
