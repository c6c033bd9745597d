import type { CheckpointRow } from '../store/checkpoints.js';
import type { EpochRow } from '../store/epochs.js';
import type { EvaluationRow } from '../store/evaluations.js';
import type { RunRow } from '../store/runs.js';
import type { SampleRow } from '../store/samples.js';
import { PubSub } from './pubsub.js';

/** Live position of a running run, from the worker's started/progress messages. */
export interface RunProgressState {
  epoch: number;
  iteration: number;
  iterationsPerEpoch: number;
  epochsTotal: number | null;
  etaSeconds: number | null;
}

/** What happened to a run, carrying the stored rows (the subscription maps them like the queries do). */
export type RunEventPayload =
  | { type: 'PROGRESS'; runId: string; progress: RunProgressState }
  | { type: 'EPOCH'; runId: string; epoch: EpochRow }
  | { type: 'METRICS'; runId: string; points: { step: number; name: string; value: number }[] }
  | { type: 'SAMPLE'; runId: string; sample: SampleRow }
  | { type: 'CHECKPOINT'; runId: string; checkpoint: CheckpointRow }
  | { type: 'EVALUATION'; runId: string; epoch: number; evaluations: EvaluationRow[] }
  | { type: 'STATUS'; runId: string; run: RunRow };

export interface RunsChangedPayload {
  type: 'CREATED' | 'UPDATED' | 'DELETED';
  runId: string;
}

const runTopic = (runId: string): string => `run:${runId}`;
const RUNS_CHANGED = 'runs';

/**
 * The topics of the runEvents and runsChanged subscriptions. Publish only what is already
 * stored. `pubSub` is the schema's PubSub (type-graphql's buildSchema option).
 */
export class RunEventBus {
  readonly pubSub = new PubSub<RunEventPayload | RunsChangedPayload>();

  publish(event: RunEventPayload): void {
    this.pubSub.publish(runTopic(event.runId), event);
  }

  /** A run's status changed (or it was created): STATUS on its topic and UPDATED/CREATED on runsChanged. */
  statusChanged(run: RunRow, change: 'CREATED' | 'UPDATED' = 'UPDATED'): void {
    this.publish({ type: 'STATUS', runId: run.id, run });
    this.runsChanged(change, run.id);
  }

  /** Something other than the status changed (tags), or the run was deleted. */
  runsChanged(type: RunsChangedPayload['type'], runId: string): void {
    this.pubSub.publish(RUNS_CHANGED, { type, runId });
  }

  subscribeRun(runId: string): AsyncIterableIterator<RunEventPayload> {
    return this.pubSub.subscribe(runTopic(runId)) as AsyncIterableIterator<RunEventPayload>;
  }

  subscribeRunsChanged(): AsyncIterableIterator<RunsChangedPayload> {
    return this.pubSub.subscribe(RUNS_CHANGED) as AsyncIterableIterator<RunsChangedPayload>;
  }

  close(): void {
    this.pubSub.closeAll();
  }
}
