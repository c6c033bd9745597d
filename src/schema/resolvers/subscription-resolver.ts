import { Arg, Ctx, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { RunEventPayload, RunsChangedPayload } from '../../server/run-event-bus.js';
import { findRun } from '../../store/runs.js';
import type { LabContext } from '../context.js';
import { RunChangeType, RunEventType, RunStatus } from '../enums.js';
import { Epoch } from '../types/epoch.js';
import { Evaluation } from '../types/evaluation.js';
import { RunEvent, RunsChangedEvent } from '../types/events.js';
import { toCheckpoint, toSample } from '../types/mappers.js';
import type { Run } from '../types/run.js';
import { requireRun } from '../validation/references.js';

/** A stored-row payload in the same GraphQL shapes the queries return. */
function toRunEvent(payload: RunEventPayload, baseUrl: string): RunEvent {
  const event = Object.assign(new RunEvent(), {
    type: payload.type as RunEventType,
    runId: payload.runId,
    epoch: null,
    progress: null,
    summary: null,
    metricPoints: null,
    sample: null,
    checkpoint: null,
    evaluations: null,
    status: null,
    error: null,
  });
  switch (payload.type) {
    case 'PROGRESS':
      return Object.assign(event, { epoch: payload.progress.epoch, progress: payload.progress });
    case 'EPOCH':
      return Object.assign(event, { epoch: payload.epoch.epoch, summary: Epoch.fromRow(payload.epoch) });
    case 'METRICS':
      return Object.assign(event, { metricPoints: payload.points });
    case 'SAMPLE':
      return Object.assign(event, { epoch: payload.sample.epoch, sample: toSample(payload.sample, baseUrl) });
    case 'CHECKPOINT':
      return Object.assign(event, { epoch: payload.checkpoint.epoch, checkpoint: toCheckpoint(payload.checkpoint, baseUrl) });
    case 'EVALUATION':
      return Object.assign(event, { epoch: payload.epoch, evaluations: payload.evaluations.map(Evaluation.fromRow) });
    case 'STATUS':
      return Object.assign(event, { status: payload.run.status as RunStatus, error: payload.run.error });
  }
}

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => RunEvent, {
    description: 'Live events of one run. Subscribe first, then read the history with the run query; de-duplicate by epoch.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { runId: string }, LabContext>) => {
      requireRun(context.db, 'runId', args.runId);
      return context.events.subscribeRun(args.runId);
    },
  })
  runEvents(@Root() payload: RunEventPayload, @Arg('runId', () => ID) _runId: string, @Ctx() { baseUrl }: LabContext): RunEvent {
    return toRunEvent(payload, baseUrl);
  }

  @Subscription(() => RunsChangedEvent, {
    description: 'A run was created, changed status or tags, or was deleted.',
    subscribe: ({ context }: SubscribeResolverData<unknown, object, LabContext>) => context.events.subscribeRunsChanged(),
  })
  runsChanged(@Root() payload: RunsChangedPayload, @Ctx() { db }: LabContext): RunsChangedEvent {
    const run = payload.type === 'DELETED' ? null : ((findRun(db, payload.runId) as Run | undefined) ?? null);
    return Object.assign(new RunsChangedEvent(), { type: payload.type as RunChangeType, runId: payload.runId, run });
  }
}
