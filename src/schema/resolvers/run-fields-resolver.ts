import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { listCheckpoints } from '../../store/checkpoints.js';
import { findDataset } from '../../store/datasets.js';
import { listEpochs } from '../../store/epochs.js';
import { evaluationsOfRuns } from '../../store/evaluations.js';
import { metricNames, readMetricSeries } from '../../store/metric-points.js';
import { evaluationRunsOf, findRun } from '../../store/runs.js';
import { latestSampleEpoch, listSamples, sampleEpochs } from '../../store/samples.js';
import { tagsOfRuns } from '../../store/tags.js';
import type { LabContext } from '../context.js';
import { Checkpoint } from '../types/checkpoint.js';
import { Dataset } from '../types/dataset.js';
import { Epoch } from '../types/epoch.js';
import { Evaluation } from '../types/evaluation.js';
import { toCheckpoint, toSample } from '../types/mappers.js';
import { MetricSeries } from '../types/metric.js';
import { GeneratorInits, Run, RunProgress } from '../types/run.js';
import { Sample } from '../types/sample.js';
import { checkInt, METRIC_POINTS_MAX } from '../validation/ranges.js';

const asRun = (id: string | null, ctx: LabContext): Run | null => (id ? ((findRun(ctx.db, id) as Run | undefined) ?? null) : null);

/** Relations and history of a run, read on demand from the store. */
@Resolver(() => Run)
export class RunFieldsResolver {
  @FieldResolver(() => Dataset)
  dataset(@Root() run: Run, @Ctx() { db }: LabContext): Dataset {
    const row = findDataset(db, run.datasetId);
    if (!row) throw new Error(`dataset ${run.datasetId} of run ${run.id} is missing`);
    return Dataset.fromRow(row);
  }

  @FieldResolver(() => RunProgress, { nullable: true, description: 'Live position while RUNNING; null otherwise.' })
  progress(@Root() run: Run, @Ctx() { scheduler }: LabContext): RunProgress | null {
    return run.status === 'RUNNING' ? scheduler.progressOf(run.id) : null;
  }

  @FieldResolver(() => [String])
  tags(@Root() run: Run, @Ctx() { db }: LabContext): string[] {
    return tagsOfRuns(db, [run.id]).get(run.id) ?? [];
  }

  @FieldResolver(() => GeneratorInits, { nullable: true, description: 'CYCLEGAN runs: where each generator started from.' })
  initFrom(@Root() run: Run, @Ctx() ctx: LabContext): GeneratorInits | null {
    if (run.kind !== 'CYCLEGAN') return null;
    return { gAB: asRun(run.initGabRunId, ctx), gBA: asRun(run.initGbaRunId, ctx) };
  }

  @FieldResolver(() => Run, { nullable: true, description: 'EVALUATION runs: the run evaluated.' })
  sourceRun(@Root() run: Run, @Ctx() ctx: LabContext): Run | null {
    return asRun(run.sourceRunId, ctx);
  }

  @FieldResolver(() => [Run], { description: 'EVALUATION runs of this run.' })
  evaluationRuns(@Root() run: Run, @Ctx() { db }: LabContext): Run[] {
    return evaluationRunsOf(db, run.id) as Run[];
  }

  @FieldResolver(() => [Epoch], { description: 'Every finished epoch, in order.' })
  epochs(@Root() run: Run, @Ctx() { db }: LabContext): Epoch[] {
    return listEpochs(db, run.id).map(Epoch.fromRow);
  }

  @FieldResolver(() => [MetricSeries], { description: 'Iteration-level series; each longer than maxPoints is averaged into maxPoints buckets.' })
  metrics(
    @Root() run: Run,
    @Ctx() { db }: LabContext,
    @Arg('names', () => [String], { nullable: true, description: 'Default: every series.' }) names: string[] | null,
    @Arg('fromStep', () => Int, { nullable: true }) fromStep: number | null,
    @Arg('toStep', () => Int, { nullable: true }) toStep: number | null,
    @Arg('maxPoints', () => Int, { defaultValue: 500, description: `2 to ${METRIC_POINTS_MAX} points per series.` }) maxPoints: number,
  ): MetricSeries[] {
    checkInt('maxPoints', maxPoints, 2, METRIC_POINTS_MAX);
    const series = readMetricSeries(db, run.id, { names, fromStep, toStep, maxPoints });
    return [...series].map(([name, points]) => ({ name, points }));
  }

  @FieldResolver(() => [String], { description: 'Names of the iteration-level series.' })
  metricNames(@Root() run: Run, @Ctx() { db }: LabContext): string[] {
    return metricNames(db, run.id);
  }

  @FieldResolver(() => [Sample], { description: 'Sample PNGs of one epoch (default: the latest epoch with samples).' })
  samples(@Root() run: Run, @Ctx() { db, baseUrl }: LabContext, @Arg('epoch', () => Int, { nullable: true }) epoch: number | null): Sample[] {
    const at = epoch ?? latestSampleEpoch(db, run.id);
    return at === null ? [] : listSamples(db, run.id, at).map((row) => toSample(row, baseUrl));
  }

  @FieldResolver(() => [Int], { description: 'Epochs that have sample PNGs.' })
  sampleEpochs(@Root() run: Run, @Ctx() { db }: LabContext): number[] {
    return sampleEpochs(db, run.id);
  }

  @FieldResolver(() => [Checkpoint])
  checkpoints(@Root() run: Run, @Ctx() { db, baseUrl }: LabContext): Checkpoint[] {
    return listCheckpoints(db, run.id).map((row) => toCheckpoint(row, baseUrl));
  }

  @FieldResolver(() => [Evaluation], { description: 'Values this run computed (EVALUATION) or that were computed on it.' })
  evaluations(@Root() run: Run, @Ctx() { db }: LabContext): Evaluation[] {
    return evaluationsOfRuns(db, [run.id]).map(Evaluation.fromRow);
  }
}
