// Keeps a run up to date: subscribes to its events, reads its history, and re-reads it
// whenever an event shows a gap, the status changes, or the connection comes back.
// A read can overlap events (the subscription registers on the server a moment after the
// first read is sent); events that arrive during a read are applied again on top of its
// answer, and mergeByEpoch makes that idempotent.
import { DashboardRunDocument, DashboardRunEventsDocument } from '../../generated/graphql.js';
import { api } from './api.js';
import { connection } from './connection.js';
import { applyRunEvent, type RunDetail, type RunEvent } from './run-state.js';
import { listen } from './subscription.js';

export interface LiveRunState {
  run: RunDetail;
  /** Counts SAMPLE events and re-reads, so the sample grid reloads while an epoch's PNGs arrive and after a reconnect. */
  sampleRevision: number;
}

export interface LiveRunHandlers {
  change(state: LiveRunState): void;
  error(error: unknown): void;
}

export class LiveRun {
  private run: RunDetail | null = null;
  private sampleRevision = 0;
  /** Events received since the read in flight started; null when no read is in flight. */
  private duringRead: RunEvent[] | null = null;
  private readAgain = false;
  private stopped = false;
  private readonly stopEvents: () => void;
  private readonly stopConnection: () => void;

  constructor(
    private readonly id: string,
    private readonly handlers: LiveRunHandlers,
  ) {
    this.stopEvents = listen(DashboardRunEventsDocument, { runId: id }, { next: (data) => this.receive(data.runEvents), error: handlers.error });
    this.stopConnection = connection.onChange((change) => {
      if (change === 'reconnected') void this.reread();
    });
    void this.reread();
  }

  stop(): void {
    this.stopped = true;
    this.stopEvents();
    this.stopConnection();
  }

  private receive(event: RunEvent): void {
    if (event.type === 'SAMPLE') this.sampleRevision += 1;
    this.duringRead?.push(event);
    if (!this.run) return;
    const applied = applyRunEvent(this.run, event);
    this.run = applied.run;
    this.emit();
    if (applied.reread) void this.reread();
  }

  async reread(): Promise<void> {
    if (this.duringRead) {
      this.readAgain = true;
      return;
    }
    this.duringRead = [];
    try {
      const { run } = await api.request(DashboardRunDocument, { id: this.id });
      if (!run) throw new Error(`run ${this.id} does not exist (deleted?)`);
      this.run = this.duringRead.reduce((state, event) => applyRunEvent(state, event).run, run);
      this.sampleRevision += 1;
      this.emit();
    } catch (error) {
      if (!this.stopped) this.handlers.error(error);
    } finally {
      this.duringRead = null;
      if (this.readAgain && !this.stopped) {
        this.readAgain = false;
        void this.reread();
      }
    }
  }

  private emit(): void {
    if (this.run && !this.stopped) this.handlers.change({ run: this.run, sampleRevision: this.sampleRevision });
  }
}
