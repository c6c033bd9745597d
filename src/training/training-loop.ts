// The epoch loop every training run shares (AE, VAE, CycleGAN): iterations, cancellation,
// throttled progress with ETA, iteration-level metric points, epoch averages, SSIM on the
// fixed test subset, sample images, checkpoints, and the messages for all of them.
import type { RunContext, SsimSummary, WorkerMessage } from './protocol.js';
import type { SampleMessage } from './samples.js';
import type { WrittenCheckpoint } from './checkpoint.js';

/** One kind of training (CycleGAN, AE/VAE) as the loop drives it. */
export interface Trainer {
  readonly epochsTotal: number;
  readonly iterationsPerEpoch: number;
  /** Epochs already done (from the checkpoint a run resumed from; 0 for a fresh run). */
  readonly completedEpochs: number;
  /** Training iterations done so far, over all epochs. */
  readonly step: number;
  /** Image files skipped as unreadable (onBadImage 'skip'). */
  readonly skippedImages: { file: string; reason: string }[];
  /** Prepares epoch `epoch` (1-based): shuffles, sets the learning rate. Returns the lr and per-epoch values to report. */
  startEpoch(epoch: number): { lr: number; epochValues: Record<string, number> };
  /** One iteration; returns its losses. */
  trainIteration(): Record<string, number>;
  ssim(): Record<string, SsimSummary>;
  writeSamples(epoch: number): Promise<SampleMessage[]>;
  writeCheckpoint(epoch: number): Promise<WrittenCheckpoint>;
  dispose(): void;
}

export interface LoopOptions {
  checkpointEvery: number;
  ssimEvery: number;
  /** Minimum time between progress messages. */
  progressIntervalMs?: number;
}

export type LoopOutcome = 'done' | 'cancelled';

export async function runTrainingLoop(ctx: RunContext, trainer: Trainer, opts: LoopOptions): Promise<LoopOutcome> {
  const interval = opts.progressIntervalMs ?? 1000;
  const post = (m: WorkerMessage): void => ctx.post(m);
  const ipe = trainer.iterationsPerEpoch;
  const skipped = trainer.skippedImages.length > 0 ? { skippedImages: trainer.skippedImages } : {};
  post({ type: 'started', backend: ctx.backend, epochsTotal: trainer.epochsTotal, iterationsPerEpoch: ipe, resumedAtEpoch: trainer.completedEpochs, ...skipped });

  let points: { step: number; name: string; value: number }[] = [];
  const flushPoints = (): void => {
    if (points.length > 0) post({ type: 'metric_points', points });
    points = [];
  };
  let trainMs = 0;
  let itersDone = 0;
  let lastProgress = Date.now();

  for (let epoch = trainer.completedEpochs + 1; epoch <= trainer.epochsTotal; epoch++) {
    const epochStart = Date.now();
    const { lr, epochValues } = trainer.startEpoch(epoch);
    const sums: Record<string, number> = {};
    for (let i = 0; i < ipe; i++) {
      if (ctx.isCancelled()) {
        flushPoints();
        post({ type: 'cancelled' });
        return 'cancelled';
      }
      const t0 = performance.now();
      const losses = trainer.trainIteration();
      trainMs += performance.now() - t0;
      itersDone++;
      for (const [name, value] of Object.entries(losses)) {
        sums[name] = (sums[name] ?? 0) + value;
        points.push({ step: trainer.step, name, value });
      }
      const now = Date.now();
      if (now - lastProgress >= interval) {
        lastProgress = now;
        const remaining = (trainer.epochsTotal - epoch) * ipe + (ipe - i - 1);
        const etaSeconds = Math.round((remaining * trainMs) / itersDone / 1000);
        post({ type: 'progress', epoch, iteration: i + 1, iterationsPerEpoch: ipe, etaSeconds });
        flushPoints();
      }
      // Let a cancel message in: a worker receives messages only between macrotasks.
      await new Promise((resolve) => setImmediate(resolve));
    }
    flushPoints();
    const losses: Record<string, number> = { ...epochValues };
    for (const [name, sum] of Object.entries(sums)) losses[name] = sum / ipe;
    const isLast = epoch === trainer.epochsTotal;
    const ssim = epoch % opts.ssimEvery === 0 || isLast ? trainer.ssim() : null;
    const samples = await trainer.writeSamples(epoch);
    post({ type: 'epoch', epoch, losses, lr, ssim, durationMs: Date.now() - epochStart });
    samples.forEach(post);
    if (epoch % opts.checkpointEvery === 0 || isLast) {
      const { path, bytes, sha256 } = await trainer.writeCheckpoint(epoch);
      post({ type: 'checkpoint', epoch, path, bytes, sha256 });
    }
  }
  post({ type: 'done' });
  return 'done';
}
