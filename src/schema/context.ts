import type { LabConfig } from '../config.js';
import type { RunEventBus } from '../server/run-event-bus.js';
import type { Scheduler } from '../server/scheduler.js';
import type { LabDb } from '../store/database.js';

/** What every resolver gets, per request or WebSocket connection. */
export interface LabContext {
  db: LabDb;
  config: LabConfig;
  scheduler: Scheduler;
  events: RunEventBus;
  /** http://host:port as the client reached the server, for file URLs. */
  baseUrl: string;
}
