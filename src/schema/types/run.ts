import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { RunConfig } from '../../training/protocol.js';
import { RunKind, RunStatus } from '../enums.js';

@ObjectType({ description: 'Live position of a running run (kept in memory, null when not running).' })
export class RunProgress {
  @Field(() => Int, { description: '1-based epoch in progress.' }) epoch!: number;
  @Field(() => Int) iteration!: number;
  @Field(() => Int) iterationsPerEpoch!: number;
  @Field(() => Int, { nullable: true }) epochsTotal!: number | null;
  @Field(() => Float, { nullable: true }) etaSeconds!: number | null;
}

@ObjectType({ description: 'An image file a run left out as unreadable (onBadImage SKIP).' })
export class SkippedImage {
  @Field(() => String, { description: 'Absolute path on the server.' }) file!: string;
  @Field(() => String, { description: 'Why it could not be read.' }) reason!: string;
}

/**
 * A training or evaluation run. The resolvers get a stored runs row as the root object;
 * relations (dataset, epochs, samples ...) are field resolvers in RunFieldsResolver.
 */
@ObjectType()
export class Run {
  @Field(() => ID) id!: string;
  @Field(() => RunKind) kind!: RunKind;
  @Field(() => RunStatus) status!: RunStatus;
  @Field(() => JSONResolver, { description: 'The validated run configuration (PretrainConfig, CycleGanConfig or EvaluationConfig).' })
  config!: RunConfig;
  @Field(() => Int) seed!: number;
  @Field(() => String, { nullable: true, description: 'TF.js backend the worker used: tensorflow, wasm or cpu.' }) backend!: string | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => [SkippedImage], { description: 'Unreadable image files the run left out (onBadImage SKIP); empty when none or not started.' })
  skippedImages!: SkippedImage[];
  @Field(() => DateTimeResolver) createdAt!: Date;
  @Field(() => DateTimeResolver, { nullable: true }) startedAt!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true }) finishedAt!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'Last message from the worker.' }) heartbeatAt!: Date | null;
  datasetId!: string;
  initGabRunId!: string | null;
  initGbaRunId!: string | null;
  sourceRunId!: string | null;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class RunEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Run) node!: Run;
}

@ObjectType({ description: 'Runs, newest first.' })
export class RunConnection {
  @Field(() => [RunEdge]) edges!: RunEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Runs matching the filter.' }) totalCount!: number;
}

@ObjectType({ description: 'The pretraining runs whose generators initialised a CycleGAN (null: random).' })
export class GeneratorInits {
  @Field(() => Run, { nullable: true, description: 'Initialised G_AB (outputs B): an AE/VAE trained on B.' }) gAB!: Run | null;
  @Field(() => Run, { nullable: true, description: 'Initialised G_BA (outputs A): an AE/VAE trained on A.' }) gBA!: Run | null;
}
