// A RunContext for running a training in the current thread (tests, benchmarks, scripts)
// that keeps every posted message instead of sending it to a scheduler.
import type { BackendName, RunContext, WorkerInput, WorkerMessage } from './protocol.js';

export interface RecordingContext extends RunContext {
  readonly messages: WorkerMessage[];
  /** Makes isCancelled() true, as a cancel message from the scheduler would. */
  cancel(): void;
  /** Messages of one type. */
  ofType<T extends WorkerMessage['type']>(type: T): Extract<WorkerMessage, { type: T }>[];
}

export function recordingContext(input: WorkerInput, backend: BackendName, onMessage?: (m: WorkerMessage) => void): RecordingContext {
  const messages: WorkerMessage[] = [];
  let cancelled = false;
  return {
    input,
    backend,
    messages,
    post(m) {
      messages.push(m);
      onMessage?.(m);
    },
    isCancelled: () => cancelled,
    cancel() {
      cancelled = true;
    },
    ofType<T extends WorkerMessage['type']>(type: T) {
      return messages.filter((m): m is Extract<WorkerMessage, { type: T }> => m.type === type);
    },
  };
}
