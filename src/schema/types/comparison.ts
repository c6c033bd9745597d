import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Comparison, Domain } from '../enums.js';

@ObjectType({ description: 'One cell of a paper-style table: metric x comparison x domain x run.' })
export class ComparisonRow {
  @Field(() => String) metric!: string;
  @Field(() => Comparison) comparison!: Comparison;
  @Field(() => Domain) domain!: Domain;
  @Field(() => ID) runId!: string;
  @Field(() => ID, { description: 'The EVALUATION run that computed the value.' }) evaluationRunId!: string;
  @Field(() => Int, { description: 'Epoch of the evaluated checkpoint.' }) epoch!: number;
  @Field(() => Float) value!: number;
  @Field(() => Float, { nullable: true }) std!: number | null;
  @Field(() => Int) n!: number;
  @Field(() => String, { nullable: true }) extractor!: string | null;
  @Field(() => String, { nullable: true }) warning!: string | null;
}
