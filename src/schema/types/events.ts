import { Field, ID, Int, ObjectType } from 'type-graphql';
import { RunChangeType, RunEventType, RunStatus } from '../enums.js';
import { Checkpoint } from './checkpoint.js';
import { Epoch } from './epoch.js';
import { Evaluation } from './evaluation.js';
import { NamedMetricPoint } from './metric.js';
import { Run, RunProgress } from './run.js';
import { Sample } from './sample.js';

@ObjectType({
  description:
    'Something that happened to a run; `type` says which payload field is set. Every event is stored before it is ' +
    'published, so a client that subscribes first and then queries the history misses nothing (de-duplicate by epoch).',
})
export class RunEvent {
  @Field(() => RunEventType) type!: RunEventType;
  @Field(() => ID) runId!: string;
  @Field(() => Int, { nullable: true, description: 'The epoch the event belongs to (PROGRESS, EPOCH, SAMPLE, CHECKPOINT, EVALUATION).' })
  epoch!: number | null;
  @Field(() => RunProgress, { nullable: true }) progress!: RunProgress | null;
  @Field(() => Epoch, { nullable: true, description: 'EPOCH: the stored epoch row, as Run.epochs returns it.' }) summary!: Epoch | null;
  @Field(() => [NamedMetricPoint], { nullable: true }) metricPoints!: NamedMetricPoint[] | null;
  @Field(() => Sample, { nullable: true }) sample!: Sample | null;
  @Field(() => Checkpoint, { nullable: true }) checkpoint!: Checkpoint | null;
  @Field(() => [Evaluation], { nullable: true }) evaluations!: Evaluation[] | null;
  @Field(() => RunStatus, { nullable: true, description: 'STATUS: the new status.' }) status!: RunStatus | null;
  @Field(() => String, { nullable: true, description: 'STATUS: the error of a FAILED run.' }) error!: string | null;
}

@ObjectType({ description: 'A run was created, changed status or was deleted.' })
export class RunsChangedEvent {
  @Field(() => RunChangeType) type!: RunChangeType;
  @Field(() => ID) runId!: string;
  @Field(() => Run, { nullable: true, description: 'The run now; null once deleted.' }) run!: Run | null;
}
