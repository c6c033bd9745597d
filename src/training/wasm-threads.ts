// Multi-threaded wasm under Node. TF.js ships a threaded SIMD build of its wasm backend
// (XNNPACK on an Emscripten pthread pool) but disables it in Node (tfjs issue #3830):
// Emscripten starts each pthread as a Web Worker from a blob: URL, which Node's
// worker_threads cannot load. Three shims make it work:
// * the global `Worker` the Emscripten glue constructs is a worker_threads Worker that
//   evaluates TF.js's own pthread script (shipped in wasm-out/) instead of a blob: URL;
// * inside it, the blob: URL of the main script resolves to the package's threaded glue;
// * TF.js sizes its pool as half the logical cores (it assumes two hyper-threads per
//   core), so os.cpus() reports twice the wanted count while the module initialises.
// Must run before the wasm backend is first initialised in this thread.
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { Worker as NodeWorker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { MAX_WASM_THREADS } from './protocol.js';

const require = createRequire(import.meta.url);
const wasmOut = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');

function pthreadScript(): string {
  const glue = join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = require(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // As TF.js does before making a Blob of it: keep the escaped newlines inside its strings.
  return `URL.createObjectURL = () => ${JSON.stringify(glue)};\n${wasmWorkerContents.replace(/\n/g, '\\n')}`;
}

let initialised = false;

/**
 * Makes wasm the backend, initialising it with `threads` XNNPACK threads on first use
 * in this thread (1: the single-threaded SIMD build TF.js picks by default in Node).
 * Later calls keep the first thread count. Returns the thread count in use.
 */
export async function activateWasm(threads: number): Promise<number> {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new Error(`wasm threads must be an integer from 1 to ${MAX_WASM_THREADS}, got ${threads}`);
  }
  const firstUse = !initialised;
  initialised = true;
  if (firstUse && threads > 1) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    setThreadsCount(threads);
    const script = pthreadScript();
    // The pool's threads live as long as the module and must never keep this thread
    // alive (Emscripten ref()s a worker while it runs a pthread, and XNNPACK's always do).
    class PthreadWorker extends NodeWorker {
      constructor() {
        super(script, { eval: true });
        this.unref();
      }

      override ref(): void {}
    }
    // The glue assigns the global Worker when it loads; keep ours.
    Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => PthreadWorker, set: () => undefined });
  }
  const cpus = os.cpus;
  if (firstUse && threads > 1) os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]);
  try {
    const ok = await tf.setBackend('wasm');
    if (!ok || tf.getBackend() !== 'wasm') throw new Error(`TF.js backend 'wasm' failed to initialise`);
    await tf.ready();
  } finally {
    os.cpus = cpus;
  }
  return getThreadsCount();
}
