// The multi-threaded wasm backend (src/training/wasm-threads.ts) in a worker thread, as a
// run uses it: it really runs the asked number of XNNPACK threads, its gradients equal the
// cpu backend's, its Adam step (SIMD on the shared heap) follows torch.optim.Adam, and the
// thread ends on its own afterwards (the pthread pool must not keep it alive, or every
// finished run would leak a thread).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/training/backend.js';
import { assertGradientsMatch, generatorGradients, type GeneratorGradients } from './helpers/generator-gradients.js';

const SIZE = 32;
const ADAM = { beta1: 0.5, beta2: 0.999, epsilon: 1e-8 };
const LR = 2e-4;

/** torch.optim.Adam's first step from zero moments, in float64. */
function firstAdamStep(p: number, g: number): number {
  const m = (1 - ADAM.beta1) * g;
  const v = (1 - ADAM.beta2) * g * g;
  return p - (m / (Math.sqrt(v) / Math.sqrt(1 - ADAM.beta2) + ADAM.epsilon)) * (LR / (1 - ADAM.beta1));
}

test('wasm with 2 threads: generator gradients equal the cpu backend, and the thread exits by itself', async () => {
  const workerData = { threads: 2, size: SIZE, adam: ADAM, lr: LR };
  const worker = new Worker(new URL('./fixtures/threaded-gradients-worker.js', import.meta.url), { workerData });
  const exited = once(worker, 'exit');
  const [result] = (await once(worker, 'message')) as [GeneratorGradients & { threads: number; before: Float32Array[]; after: Float32Array[] }];
  assert.equal(result.threads, 2);
  const timeout = setTimeout(() => void worker.terminate(), 20_000);
  const [code] = (await exited) as [number];
  clearTimeout(timeout);
  assert.equal(code, 0, 'the worker did not exit on its own (terminated after 20 s)');

  await initBackend('cpu');
  const cpu = await generatorGradients(SIZE);
  const { worst, checked } = assertGradientsMatch(result, cpu, 1e-4);
  console.log(`2-thread wasm vs cpu: ${checked} gradient tensors, worst relative error ${worst.toExponential(2)}`);

  let adamError = 0;
  result.grads.forEach((g, i) => {
    g.forEach((gj, j) => {
      adamError = Math.max(adamError, Math.abs(result.after[i][j] - firstAdamStep(result.before[i][j], gj)));
    });
  });
  // Weights ~1 move by ~2e-4: float32 rounding is ~1e-7, a wrong update misses by ~1e-4.
  assert.ok(adamError < 1e-6, `Adam step on the threaded heap: largest error ${adamError}`);
  assert.equal(tf.getBackend(), 'cpu');
});
