import {
  CancelRunDocument,
  ComparisonDocument,
  DatasetsDocument,
  EvaluateRunDocument,
  ResumeRunDocument,
  RunEventsDocument,
  RunListDocument,
  RunMetricsDocument,
  RunResultsDocument,
  RunSamplesDocument,
  RunStatusDocument,
  StartCycleGanDocument,
  StartPretrainingDocument,
  type ComparisonQuery,
  type CycleGanInput,
  type EvaluationInput,
  type PretrainingInput,
  type RunEventsSubscription,
  type RunFilter,
  type RunResultsQuery,
  type RunStatus,
  type RunStatusQuery,
} from './generated/graphql.js';
import { GraphQLTransport, LabApiError, type TransportOptions } from './transport.js';

export type RunEvent = RunEventsSubscription['runEvents'];
export type RunState = NonNullable<RunStatusQuery['run']>;
export type RunResults = NonNullable<RunResultsQuery['run']>;

const TERMINAL: ReadonlySet<RunStatus> = new Set<RunStatus>(['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED']);
/** How often waitForRun re-reads the status, in case a STATUS event was lost in a reconnect. */
const STATUS_POLL_MS = 15_000;

export const isTerminal = (status: RunStatus): boolean => TERMINAL.has(status);

/** The cyclegan-lab API for scripts and lab tooling: typed operations plus a few helpers. */
export class LabClient {
  readonly transport: GraphQLTransport;

  constructor(options: TransportOptions) {
    this.transport = new GraphQLTransport(options);
  }

  async datasets() {
    return (await this.transport.request(DatasetsDocument)).datasets;
  }

  async datasetId(name: string): Promise<string> {
    const all = await this.datasets();
    const found = all.find((d) => d.name === name);
    if (!found) throw new LabApiError(`dataset "${name}" is not registered; registered: ${all.map((d) => d.name).join(', ') || 'none'}`, 'NOT_FOUND', []);
    return found.id;
  }

  async startPretraining(input: PretrainingInput) {
    return (await this.transport.request(StartPretrainingDocument, { input })).startPretraining;
  }

  async startCycleGan(input: CycleGanInput) {
    return (await this.transport.request(StartCycleGanDocument, { input })).startCycleGan;
  }

  async evaluateRun(input: EvaluationInput) {
    return (await this.transport.request(EvaluateRunDocument, { input })).evaluateRun;
  }

  async cancelRun(id: string) {
    return (await this.transport.request(CancelRunDocument, { id })).cancelRun;
  }

  async resumeRun(id: string) {
    return (await this.transport.request(ResumeRunDocument, { id })).resumeRun;
  }

  async runState(id: string): Promise<RunState> {
    const { run } = await this.transport.request(RunStatusDocument, { id });
    if (!run) throw new LabApiError(`run ${id} not found`, 'NOT_FOUND', []);
    return run;
  }

  async runResults(id: string): Promise<RunResults> {
    const { run } = await this.transport.request(RunResultsDocument, { id });
    if (!run) throw new LabApiError(`run ${id} not found`, 'NOT_FOUND', []);
    return run;
  }

  /** Sample PNGs (with URLs) of one epoch; default: the latest epoch with samples. */
  async samples(runId: string, epoch?: number) {
    const { run } = await this.transport.request(RunSamplesDocument, { id: runId, epoch });
    if (!run) throw new LabApiError(`run ${runId} not found`, 'NOT_FOUND', []);
    return run.samples;
  }

  /** Iteration-level series of a run, each averaged down to at most maxPoints points. */
  async metrics(runId: string, maxPoints = 100_000) {
    const { run } = await this.transport.request(RunMetricsDocument, { id: runId, maxPoints });
    if (!run) throw new LabApiError(`run ${runId} not found`, 'NOT_FOUND', []);
    return run.metrics;
  }

  /** Runs, newest first; follows the Relay pages until `limit` runs are read. */
  async runs(filter: RunFilter = {}, limit = 100) {
    const nodes = [];
    let after: string | null = null;
    while (nodes.length < limit) {
      const page: Awaited<ReturnType<typeof this.runsPage>> = await this.runsPage(filter, Math.min(100, limit - nodes.length), after);
      nodes.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return nodes;
  }

  private async runsPage(filter: RunFilter, first: number, after: string | null) {
    return (await this.transport.request(RunListDocument, { filter, first, after })).runs;
  }

  async comparison(runIds: string[]): Promise<ComparisonQuery['comparison']> {
    return (await this.transport.request(ComparisonDocument, { runIds })).comparison;
  }

  /** Live events of a run as an async iterator (progress, epochs, samples, status). */
  runEvents(runId: string): AsyncIterableIterator<RunEvent> {
    const source = this.transport.subscribe(RunEventsDocument, { runId });
    return {
      async next() {
        const r = await source.next();
        return r.done ? r : { done: false, value: r.value.runEvents };
      },
      async return() {
        await source.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /**
   * Resolves once the run reaches a terminal status (SUCCEEDED, FAILED, CANCELLED,
   * INTERRUPTED), calling onEvent for each live event on the way. Subscribes before it
   * reads the status, so no transition is missed.
   */
  async waitForRun(runId: string, onEvent?: (event: RunEvent) => void): Promise<RunState> {
    const events = this.runEvents(runId);
    try {
      let pending = events.next();
      let state = await this.runState(runId);
      while (!isTerminal(state.status)) {
        let timer: NodeJS.Timeout | undefined;
        const tick = new Promise<'tick'>((resolve) => {
          timer = setTimeout(() => resolve('tick'), STATUS_POLL_MS);
        });
        const next = await Promise.race([pending, tick]);
        clearTimeout(timer);
        if (next === 'tick') {
          state = await this.runState(runId);
          continue;
        }
        if (next.done) break;
        pending = events.next();
        onEvent?.(next.value);
        if (next.value.type === 'STATUS' && next.value.status && isTerminal(next.value.status)) state = await this.runState(runId);
      }
      return isTerminal(state.status) ? state : await this.runState(runId);
    } finally {
      await events.return?.();
    }
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
