import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { deleteCheckpointsAfter, listCheckpoints, type CheckpointRow } from '../store/checkpoints.js';
import type { LabDb } from '../store/database.js';
import { deleteEpochsAfter } from '../store/epochs.js';
import { deleteEvaluationsOfRun } from '../store/evaluations.js';
import { deleteMetricPoints } from '../store/metric-points.js';
import { queuedRuns, updateRun, type RunPatch, type RunRow } from '../store/runs.js';
import { deleteSamplesAfter } from '../store/samples.js';
import type { RunStatusName } from '../store/schema.js';
import type { BackendChoice, ControlMessage, WorkerInput, WorkerMessage } from '../training/protocol.js';
import { imageCacheDir, runDir } from './data-paths.js';
import type { RunEventBus, RunProgressState } from './run-event-bus.js';
import { RunRecorder } from './run-recorder.js';

/** The worker script for a run: one URL for all, or chosen per run (tests inject faulty workers). */
export type WorkerEntry = URL | ((input: WorkerInput) => URL);

export const defaultWorkerEntry = (): URL => new URL('../training/worker.js', import.meta.url);

export interface SchedulerOptions {
  db: LabDb;
  dataDir: string;
  backend: BackendChoice;
  maxConcurrentRuns: number;
  /** Threads of each run on the wasm backend (LAB_WASM_THREADS; default 1). */
  wasmThreads?: number;
  /** JS heap limit of each worker (LAB_RUN_MEMORY_MB); a worker that exceeds it fails its run. */
  runMemoryMb?: number;
  events: RunEventBus;
  workerEntry?: WorkerEntry;
  /** How long a cancelled worker may take to stop before it is terminated. */
  cancelGraceMs?: number;
}

interface ActiveRun {
  row: RunRow;
  input: WorkerInput;
  worker: Worker;
  /** Set once the run's final status is stored; later messages are ignored. */
  finished: boolean;
  cancelRequested: boolean;
  exited: Promise<void>;
}

/** src/training/checkpoint.ts writes state.json last: a folder with it is a complete checkpoint. */
const CHECKPOINT_STATE_FILE = 'state.json';
/**
 * What src/training/checkpoint.ts leaves when its process dies mid-write: the hidden folder a
 * checkpoint is written into before its rename, or the old copy a rewrite moves aside.
 */
/** How often a final status the database refused is written again. */
const STORE_RETRY_MS = 1000;
const UNFINISHED_CHECKPOINT = /^\.epoch-\d+\.(tmp|old)-/;

/** Deletes unfinished checkpoint folders of a run that has no worker (they can be as large as a checkpoint). */
function removeUnfinishedCheckpoints(runFolder: string): void {
  const folder = join(runFolder, 'checkpoints');
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder)) if (UNFINISHED_CHECKPOINT.test(name)) rmSync(join(folder, name), { recursive: true, force: true });
}

/** Why a worker stopped, in words for the run's error. */
function crashReason(error: Error & { code?: string }, runMemoryMb: number | undefined): string {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return `worker ran out of memory (${error.message}; limit LAB_RUN_MEMORY_MB = ${runMemoryMb ?? 'unset'} MB): lower batchSize, imageSize, ngf or ndf`;
  }
  return `worker crashed: ${error.message}`;
}

/**
 * FIFO queue of runs over worker threads: at most maxConcurrentRuns workers at once, one
 * per run. The only writer of worker results to the database. A worker that throws, dies
 * or exits early fails its own run and nothing else.
 */
export class Scheduler {
  private readonly active = new Map<string, ActiveRun>();
  private readonly recorder: RunRecorder;
  private stopping = false;
  /** Final statuses the database refused (full, read-only), written again until it takes them. */
  private readonly unsavedEnds = new Map<string, RunPatch>();
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: SchedulerOptions) {
    this.recorder = new RunRecorder(options.db, options.dataDir, options.events);
  }

  get runningCount(): number {
    return this.active.size;
  }

  /** True while a run's worker may still post results (not once its final status is stored, even if its thread is still exiting). */
  isActive(runId: string): boolean {
    const run = this.active.get(runId);
    return run !== undefined && !run.finished;
  }

  progressOf(runId: string): RunProgressState | null {
    return this.recorder.progressOf(runId);
  }

  /** Starts queued runs while there are free slots. Call after queueing a run. */
  wake(): void {
    if (this.stopping) return;
    const free = this.options.maxConcurrentRuns - this.active.size;
    if (free <= 0) return;
    try {
      for (const row of queuedRuns(this.options.db, [...this.active.keys()], free)) this.start(row);
    } catch (error) {
      // The database cannot be written (disk full, read-only): the runs stay QUEUED and
      // start at the next wake; the server keeps serving.
      console.error('scheduler: could not start queued runs:', (error as Error).message);
    }
  }

  /** Asks a running worker to stop; its run ends CANCELLED. False when the run has no worker. */
  cancel(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run || run.finished) return false;
    run.cancelRequested = true;
    run.worker.postMessage({ type: 'cancel' } satisfies ControlMessage);
    setTimeout(() => void run.worker.terminate(), this.options.cancelGraceMs ?? 10_000).unref();
    return true;
  }

  /** Stops every worker; their runs become INTERRUPTED (resumable from their last checkpoint). */
  async shutdown(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearInterval(this.retryTimer);
    const running = [...this.active.values()];
    await Promise.all(running.map((run) => run.worker.terminate().then(() => run.exited)));
  }

  /**
   * The newest checkpoint of a run whose folder is complete. A newer row whose folder was
   * lost (deleted, restored from an older backup) is passed over, so the run resumes from
   * what exists instead of failing at every resume.
   */
  private usableCheckpoint(runId: string): CheckpointRow | undefined {
    return listCheckpoints(this.options.db, runId)
      .reverse()
      .find((c) => existsSync(join(this.options.dataDir, c.path, CHECKPOINT_STATE_FILE)));
  }

  private start(row: RunRow): void {
    const { db, dataDir } = this.options;
    const checkpoint = this.usableCheckpoint(row.id);
    const resumedEpoch = checkpoint?.epoch ?? 0;
    // Rows after the checkpoint are posted again by the resumed worker.
    const started = db.transaction(() => {
      deleteCheckpointsAfter(db, row.id, resumedEpoch);
      deleteEpochsAfter(db, row.id, resumedEpoch);
      deleteSamplesAfter(db, row.id, resumedEpoch);
      if (!checkpoint) deleteMetricPoints(db, row.id);
      if (row.kind === 'EVALUATION') deleteEvaluationsOfRun(db, row.id);
      const now = new Date();
      return updateRun(db, row.id, { status: 'RUNNING', startedAt: row.startedAt ?? now, finishedAt: null, error: null, heartbeatAt: now });
    });
    if (!started) return;
    this.options.events.statusChanged(started);

    const input: WorkerInput = {
      runId: row.id,
      config: row.config,
      backend: this.options.backend,
      wasmThreads: this.options.wasmThreads ?? 1,
      runDir: runDir(dataDir, row.id),
      resumeFrom: checkpoint ? join(dataDir, checkpoint.path) : null,
      imageCacheDir: imageCacheDir(dataDir),
    };
    let worker: Worker;
    try {
      mkdirSync(input.runDir, { recursive: true });
      removeUnfinishedCheckpoints(input.runDir);
      const entry = this.options.workerEntry ?? defaultWorkerEntry();
      const resourceLimits = this.options.runMemoryMb ? { maxOldGenerationSizeMb: this.options.runMemoryMb } : undefined;
      worker = new Worker(typeof entry === 'function' ? entry(input) : entry, { workerData: input, resourceLimits });
    } catch (error) {
      const failed = updateRun(db, row.id, { status: 'FAILED', error: `could not start a worker: ${(error as Error).message}`, finishedAt: new Date() });
      if (failed) this.options.events.statusChanged(failed);
      return;
    }
    let exited!: () => void;
    const run: ActiveRun = { row: started, input, worker, finished: false, cancelRequested: false, exited: new Promise((r) => (exited = r)) };
    this.active.set(row.id, run);
    worker.on('message', (message: WorkerMessage) => this.onMessage(run, message));
    worker.on('error', (error) => this.finish(run, 'FAILED', crashReason(error, this.options.runMemoryMb)));
    worker.on('exit', (code) => {
      if (!run.finished) {
        if (this.stopping) this.finish(run, 'INTERRUPTED', null);
        else if (run.cancelRequested) this.finish(run, 'CANCELLED', null);
        else this.finish(run, 'FAILED', `worker exited with code ${code} before finishing`);
      }
      this.active.delete(row.id);
      this.recorder.forget(row.id);
      exited();
      this.wake();
    });
  }

  private onMessage(run: ActiveRun, message: WorkerMessage): void {
    if (run.finished) return;
    try {
      if (message.type === 'done') this.finish(run, run.cancelRequested ? 'CANCELLED' : 'SUCCEEDED', null);
      else if (message.type === 'cancelled') this.finish(run, 'CANCELLED', null);
      else if (message.type === 'failed') this.finish(run, run.cancelRequested ? 'CANCELLED' : 'FAILED', run.cancelRequested ? null : message.error);
      else this.recorder.record({ id: run.row.id, config: run.input.config, runDir: run.input.runDir }, message);
    } catch (error) {
      // A message the store rejects (bad path, wrong shape) fails this run only.
      this.finish(run, 'FAILED', `could not store the worker's ${String(message?.type)} message: ${(error as Error).message}`);
      void run.worker.terminate();
    }
  }

  private finish(run: ActiveRun, status: RunStatusName, error: string | null): void {
    if (run.finished) return;
    run.finished = true;
    this.recorder.forget(run.row.id);
    this.storeEnd(run.row.id, { status, error, finishedAt: new Date() });
    // Nothing follows a final message; a worker that stays alive (an open port keeps it so)
    // must not hold a slot.
    void run.worker.terminate();
  }

  /**
   * Stores a run's final status. When the database cannot be written (disk full, read-only)
   * the run stays RUNNING in it while the write is retried every STORE_RETRY_MS; a server
   * stopped before it succeeds leaves the run to become INTERRUPTED (resumable) at its next start.
   */
  private storeEnd(runId: string, patch: RunPatch): void {
    try {
      const row = updateRun(this.options.db, runId, patch);
      this.unsavedEnds.delete(runId);
      if (row) this.options.events.statusChanged(row);
    } catch (storeError) {
      if (!this.unsavedEnds.has(runId)) {
        console.error(`scheduler: could not store status ${patch.status} of run ${runId}, retrying (${patch.error ?? 'no error'}):`, (storeError as Error).message);
      }
      this.unsavedEnds.set(runId, patch);
      this.retryTimer ??= setInterval(() => this.retryUnsavedEnds(), STORE_RETRY_MS).unref();
    }
  }

  private retryUnsavedEnds(): void {
    for (const [runId, patch] of [...this.unsavedEnds]) this.storeEnd(runId, patch);
    if (this.unsavedEnds.size === 0 && this.retryTimer) {
      clearInterval(this.retryTimer);
      this.retryTimer = null;
    }
  }
}
