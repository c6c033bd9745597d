// worker_threads entry of a run: reads the WorkerInput from workerData, selects the
// backend, runs, and reports everything as WorkerMessage values. Any failure, thrown or
// uncaught, becomes one `failed` message and the thread ends; it never hangs.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { ControlMessage, RunContext, WorkerInput, WorkerMessage } from './protocol.js';
import { initBackend } from './backend.js';
import { runInThread } from './run.js';

if (isMainThread || !parentPort) throw new Error('src/training/worker.js must be started as a worker thread');
const port = parentPort;
const input = workerData as WorkerInput;
let cancelled = false;
let finished = false;

const TERMINAL = new Set(['done', 'cancelled', 'failed']);

/** Posts until the first terminal message (done, cancelled, failed); nothing after it. */
const post = (message: WorkerMessage): void => {
  if (finished) return;
  port.postMessage(message);
  if (TERMINAL.has(message.type)) finished = true;
};

const onControl = (message: ControlMessage): void => {
  if (message?.type === 'cancel') cancelled = true;
};
port.on('message', onControl);

function fail(err: unknown): void {
  const error = err instanceof Error ? err.message || err.name : String(err);
  post({ type: 'failed', error: error || 'unknown error' });
}

function finish(): void {
  if (!finished) post({ type: 'failed', error: 'the run ended without reporting done' });
  // The message listener would keep the thread alive; without it the thread exits.
  port.off('message', onControl);
}

process.on('uncaughtException', (err) => {
  fail(err);
  process.exit(1);
});
process.on('unhandledRejection', (err) => {
  fail(err);
  process.exit(1);
});

try {
  const backend = await initBackend(input.backend, { wasmThreads: input.wasmThreads ?? 1 });
  const ctx: RunContext = { input, backend, post, isCancelled: () => cancelled };
  await runInThread(ctx);
} catch (err) {
  fail(err);
} finally {
  finish();
}
