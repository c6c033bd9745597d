// Runs one WorkerInput inside the current thread: picks the trainer (or the evaluator)
// for the run's kind and drives it. The worker entry (worker.ts) wraps this with the
// thread plumbing; tests call it directly.
import { runEvaluation } from '../metrics/evaluator.js';
import type { RunContext } from './protocol.js';
import { CycleGanTrainer } from './cyclegan-trainer.js';
import { PretrainTrainer } from './pretrain-trainer.js';
import { runTrainingLoop, type Trainer } from './training-loop.js';

export async function createTrainer(ctx: RunContext): Promise<Trainer> {
  const { config } = ctx.input;
  switch (config.kind) {
    case 'CYCLEGAN':
      return CycleGanTrainer.create(ctx);
    case 'AE':
    case 'VAE':
      return PretrainTrainer.create(ctx);
    default:
      throw new Error(`no trainer for run kind '${config.kind}'`);
  }
}

export async function runInThread(ctx: RunContext): Promise<void> {
  const { config } = ctx.input;
  if (config.kind === 'EVALUATION') {
    // The evaluator reports progress, its result, and done/cancelled itself.
    ctx.post({ type: 'started', backend: ctx.backend, epochsTotal: 1, iterationsPerEpoch: 0, resumedAtEpoch: 0 });
    await runEvaluation(ctx);
    return;
  }
  const trainer = await createTrainer(ctx);
  try {
    await runTrainingLoop(ctx, trainer, { checkpointEvery: config.checkpointEvery, ssimEvery: config.ssimEvery });
  } finally {
    trainer.dispose();
  }
}
