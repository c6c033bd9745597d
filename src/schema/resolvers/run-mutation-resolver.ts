import { rmSync } from 'node:fs';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { runDir } from '../../server/data-paths.js';
import { deleteRuns, evaluationRunsOf, findRun, insertRun, runsInitialisedFrom, updateRun, type NewRun, type RunRow } from '../../store/runs.js';
import { setRunTags } from '../../store/tags.js';
import type { LabContext } from '../context.js';
import { conflict } from '../errors.js';
import { CycleGanInput } from '../inputs/cyclegan-input.js';
import { EvaluationInput } from '../inputs/evaluation-input.js';
import { PretrainingInput } from '../inputs/pretraining-input.js';
import { Run } from '../types/run.js';
import { buildCycleGanConfig } from '../validation/cyclegan-config.js';
import { buildEvaluationConfig } from '../validation/evaluation-config.js';
import { buildPretrainConfig } from '../validation/pretrain-config.js';
import { checkTags } from '../validation/ranges.js';
import { requireRun } from '../validation/references.js';

const ACTIVE = new Set(['QUEUED', 'RUNNING']);
const RESUMABLE = new Set(['INTERRUPTED', 'FAILED', 'CANCELLED']);

/** Stores a validated run with its tags (one transaction), announces it and lets the scheduler pick it up. */
function queueRun(ctx: LabContext, run: NewRun, tags: string[]): Run {
  const row = ctx.db.transaction(() => {
    const inserted = insertRun(ctx.db, run);
    setRunTags(ctx.db, inserted.id, tags);
    return inserted;
  });
  ctx.events.statusChanged(row, 'CREATED');
  ctx.scheduler.wake();
  return (findRun(ctx.db, row.id) ?? row) as Run;
}

@Resolver(() => Run)
export class RunMutationResolver {
  @Mutation(() => Run, { description: 'Queues an AE or VAE pretraining run on one domain.' })
  startPretraining(@Arg('input', () => PretrainingInput) input: PretrainingInput, @Ctx() ctx: LabContext): Run {
    const tags = checkTags('tags', input.tags);
    const config = buildPretrainConfig(ctx.db, input, ctx.config.runMemoryMb);
    return queueRun(ctx, { config, datasetId: config.dataset.id, seed: config.seed }, tags);
  }

  @Mutation(() => Run, { description: 'Queues a CycleGAN run, each generator random or initialised from a pretraining run.' })
  startCycleGan(@Arg('input', () => CycleGanInput) input: CycleGanInput, @Ctx() ctx: LabContext): Run {
    const tags = checkTags('tags', input.tags);
    const plan = buildCycleGanConfig(ctx.db, input, ctx.config.dataDir, ctx.config.runMemoryMb);
    const { config } = plan;
    return queueRun(ctx, { config, datasetId: config.dataset.id, seed: config.seed, initGabRunId: plan.initGabRunId, initGbaRunId: plan.initGbaRunId }, tags);
  }

  @Mutation(() => Run, {
    description: 'Queues an EVALUATION run on a CycleGAN checkpoint; its results also appear in the source run\'s evaluations.',
  })
  evaluateRun(@Arg('input', () => EvaluationInput) input: EvaluationInput, @Ctx() ctx: LabContext): Run {
    const tags = checkTags('tags', input.tags);
    const config = buildEvaluationConfig(ctx.db, input, ctx.config);
    return queueRun(ctx, { config, datasetId: config.dataset.id, seed: config.seed, sourceRunId: config.sourceRunId }, tags);
  }

  @Mutation(() => Run, { description: 'QUEUED runs are cancelled at once; a RUNNING run stops at its next iteration and ends CANCELLED.' })
  cancelRun(@Arg('id', () => ID) id: string, @Ctx() ctx: LabContext): Run {
    const run = requireRun(ctx.db, 'id', id);
    if (run.status === 'RUNNING' && ctx.scheduler.cancel(id)) return run as Run;
    if (run.status !== 'QUEUED' && run.status !== 'RUNNING') throw conflict(`id: run "${id}" is ${run.status}; only QUEUED or RUNNING runs can be cancelled`, 'id');
    const row = updateRun(ctx.db, id, { status: 'CANCELLED', finishedAt: new Date() }) as RunRow;
    ctx.events.statusChanged(row);
    return row as Run;
  }

  @Mutation(() => Run, {
    description: 'Queues an INTERRUPTED, FAILED or CANCELLED run again; it continues from its last checkpoint (or starts over without one).',
  })
  resumeRun(@Arg('id', () => ID) id: string, @Ctx() ctx: LabContext): Run {
    const run = requireRun(ctx.db, 'id', id);
    if (!RESUMABLE.has(run.status)) {
      throw conflict(`id: run "${id}" is ${run.status}; only INTERRUPTED, FAILED or CANCELLED runs can be resumed`, 'id');
    }
    const row = updateRun(ctx.db, id, { status: 'QUEUED', error: null, finishedAt: null }) as RunRow;
    ctx.events.statusChanged(row);
    ctx.scheduler.wake();
    return (findRun(ctx.db, id) ?? row) as Run;
  }

  @Mutation(() => [ID], { description: 'Deletes a finished run, its evaluation runs and their files; returns the deleted ids.' })
  deleteRun(@Arg('id', () => ID) id: string, @Ctx() ctx: LabContext): string[] {
    const run = requireRun(ctx.db, 'id', id);
    const doomed = [run, ...evaluationRunsOf(ctx.db, id)];
    const busy = doomed.find((r) => ACTIVE.has(r.status) || ctx.scheduler.isActive(r.id));
    if (busy) throw conflict(`id: run "${busy.id}" is ${busy.status}; cancel it before deleting`, 'id');
    const dependants = runsInitialisedFrom(ctx.db, id);
    if (dependants.length) {
      throw conflict(`id: run "${id}" initialised CycleGAN run(s) ${dependants.map((r) => r.id).join(', ')}; delete those first`, 'id');
    }
    const ids = doomed.map((r) => r.id);
    ctx.db.transaction(() => deleteRuns(ctx.db, ids));
    for (const runId of ids) {
      rmSync(runDir(ctx.config.dataDir, runId), { recursive: true, force: true });
      ctx.events.runsChanged('DELETED', runId);
    }
    return ids;
  }

  @Mutation(() => Run, { description: 'Replaces the tags of a run.' })
  tagRun(@Arg('id', () => ID) id: string, @Arg('tags', () => [String]) tags: string[], @Ctx() ctx: LabContext): Run {
    const checked = checkTags('tags', tags);
    const run = requireRun(ctx.db, 'id', id);
    setRunTags(ctx.db, id, checked);
    ctx.events.runsChanged('UPDATED', id);
    return run as Run;
  }
}
