import { Field, ID, InputType } from 'type-graphql';
import { RunKind, RunStatus } from '../enums.js';

@InputType()
export class RunFilter {
  @Field(() => RunKind, { nullable: true }) kind?: RunKind | null;
  @Field(() => RunStatus, { nullable: true }) status?: RunStatus | null;
  @Field(() => ID, { nullable: true }) datasetId?: string | null;
  @Field(() => String, { nullable: true }) tag?: string | null;
}
