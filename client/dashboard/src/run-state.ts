// A run as the run page shows it: the history read with DashboardRun, advanced by live
// events. Pure functions, so the merge rules are tested without a browser.
import type { DashboardRunEventsSubscription, DashboardRunQuery } from '../../generated/graphql.js';

export type RunDetail = NonNullable<DashboardRunQuery['run']>;
export type RunEvent = DashboardRunEventsSubscription['runEvents'];

/** Rows of `current` updated by `incoming`, one per epoch (incoming wins), by epoch ascending. */
export function mergeByEpoch<T extends { epoch: number }>(current: readonly T[], incoming: readonly T[]): T[] {
  const byEpoch = new Map(current.map((row) => [row.epoch, row]));
  for (const row of incoming) byEpoch.set(row.epoch, row);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

const lastEpoch = (run: RunDetail): number => run.epochs.reduce((max, e) => Math.max(max, e.epoch), 0);

export interface AppliedEvent {
  run: RunDetail;
  /** The event shows the page missed something (an epoch gap) or changed what only a re-read returns (status, evaluations). */
  reread: boolean;
}

export function applyRunEvent(run: RunDetail, event: RunEvent): AppliedEvent {
  switch (event.type) {
    case 'PROGRESS':
      return { run: { ...run, progress: event.progress }, reread: false };
    case 'EPOCH': {
      if (!event.summary) return { run, reread: true };
      const gap = event.summary.epoch > lastEpoch(run) + 1;
      // The backend is stored when the worker starts, without an event: an epoch proves it started.
      const backendUnknown = run.backend === null;
      return { run: { ...run, epochs: mergeByEpoch(run.epochs, [event.summary]) }, reread: gap || backendUnknown };
    }
    case 'SAMPLE': {
      const epoch = event.epoch;
      if (epoch === null || run.sampleEpochs.includes(epoch)) return { run, reread: false };
      return { run: { ...run, sampleEpochs: [...run.sampleEpochs, epoch].sort((a, b) => a - b) }, reread: false };
    }
    case 'CHECKPOINT':
      return event.checkpoint
        ? { run: { ...run, checkpoints: mergeByEpoch(run.checkpoints, [event.checkpoint]) }, reread: false }
        : { run, reread: true };
    case 'STATUS': {
      const status = event.status ?? run.status;
      return {
        run: { ...run, status, error: status === 'FAILED' ? (event.error ?? run.error) : null, progress: status === 'RUNNING' ? run.progress : null },
        reread: true,
      };
    }
    case 'EVALUATION':
      return { run, reread: true };
    case 'METRICS':
      return { run, reread: false };
  }
}
