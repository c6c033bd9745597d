import { upsertCheckpoint } from '../store/checkpoints.js';
import type { LabDb } from '../store/database.js';
import { upsertEpoch } from '../store/epochs.js';
import { insertEvaluations } from '../store/evaluations.js';
import { upsertMetricPoints } from '../store/metric-points.js';
import { updateRun } from '../store/runs.js';
import { upsertSample } from '../store/samples.js';
import type { RunConfig, WorkerMessage } from '../training/protocol.js';
import { storedPath } from './data-paths.js';
import type { RunEventBus, RunProgressState } from './run-event-bus.js';

/** The run a worker is training, as the recorder needs it. */
export interface RecordedRun {
  id: string;
  config: RunConfig;
  runDir: string;
}

const HEARTBEAT_INTERVAL_MS = 1000;

/**
 * Stores each worker message (one transaction per message) and only then publishes it,
 * so a subscriber never sees an event that a query cannot find. Terminal messages
 * (done, cancelled, failed) are left to the scheduler.
 */
export class RunRecorder {
  private readonly progress = new Map<string, RunProgressState>();
  private readonly lastHeartbeat = new Map<string, number>();

  constructor(
    private readonly db: LabDb,
    private readonly dataDir: string,
    private readonly events: RunEventBus,
  ) {}

  progressOf(runId: string): RunProgressState | null {
    return this.progress.get(runId) ?? null;
  }

  forget(runId: string): void {
    this.progress.delete(runId);
    this.lastHeartbeat.delete(runId);
  }

  record(run: RecordedRun, message: Exclude<WorkerMessage, { type: 'done' | 'cancelled' | 'failed' }>): void {
    const { db } = this;
    switch (message.type) {
      case 'started': {
        updateRun(db, run.id, { backend: message.backend, skippedImages: message.skippedImages ?? [], heartbeatAt: new Date() });
        this.setProgress(run.id, {
          epoch: message.resumedAtEpoch + 1,
          iteration: 0,
          iterationsPerEpoch: message.iterationsPerEpoch,
          epochsTotal: message.epochsTotal,
          etaSeconds: null,
        });
        return;
      }
      case 'progress': {
        this.heartbeat(run.id, false);
        const { epoch, iteration, iterationsPerEpoch, etaSeconds } = message;
        this.setProgress(run.id, { epoch, iteration, iterationsPerEpoch, etaSeconds, epochsTotal: this.progress.get(run.id)?.epochsTotal ?? null });
        return;
      }
      case 'epoch': {
        const row = db.transaction(() => {
          this.heartbeat(run.id, true);
          return upsertEpoch(db, {
            runId: run.id,
            epoch: message.epoch,
            losses: message.losses,
            lr: message.lr,
            ssim: message.ssim,
            durationMs: message.durationMs,
          });
        });
        this.events.publish({ type: 'EPOCH', runId: run.id, epoch: row });
        return;
      }
      case 'metric_points': {
        upsertMetricPoints(db, run.id, message.points);
        this.events.publish({ type: 'METRICS', runId: run.id, points: message.points });
        return;
      }
      case 'sample': {
        const sample = upsertSample(db, {
          runId: run.id,
          epoch: message.epoch,
          domain: message.domain,
          kind: message.kind,
          index: message.index,
          image: message.image,
          path: storedPath(this.dataDir, run.runDir, message.path),
        });
        this.events.publish({ type: 'SAMPLE', runId: run.id, sample });
        return;
      }
      case 'checkpoint': {
        const checkpoint = db.transaction(() => {
          this.heartbeat(run.id, true);
          return upsertCheckpoint(db, {
            runId: run.id,
            epoch: message.epoch,
            path: storedPath(this.dataDir, run.runDir, message.path),
            bytes: message.bytes,
            sha256: message.sha256,
          });
        });
        this.events.publish({ type: 'CHECKPOINT', runId: run.id, checkpoint });
        return;
      }
      case 'evaluation': {
        if (run.config.kind !== 'EVALUATION') throw new Error(`a ${run.config.kind} run posted evaluation results`);
        const subjectRunId = run.config.sourceRunId;
        const rows = insertEvaluations(db, { runId: run.id, subjectRunId, epoch: message.epoch, split: message.split, values: message.values });
        // Published on both runs: the evaluation run and the run it evaluated.
        for (const runId of [run.id, subjectRunId]) this.events.publish({ type: 'EVALUATION', runId, epoch: message.epoch, evaluations: rows });
        return;
      }
    }
  }

  private setProgress(runId: string, progress: RunProgressState): void {
    this.progress.set(runId, progress);
    this.events.publish({ type: 'PROGRESS', runId, progress });
  }

  /** Records that the worker is alive; progress messages write it at most once a second. */
  private heartbeat(runId: string, always: boolean): void {
    const now = Date.now();
    if (!always && now - (this.lastHeartbeat.get(runId) ?? 0) < HEARTBEAT_INTERVAL_MS) return;
    this.lastHeartbeat.set(runId, now);
    updateRun(this.db, runId, { heartbeatAt: new Date(now) });
  }
}
