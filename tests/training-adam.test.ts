// Adam as torch.optim.Adam: the fused wasm update (wasm-kernels/adam-update.ts) and the
// TF.js-ops update of the other backends (cpu; native TensorFlow when installed) must all
// follow the float64 reference recurrence over several steps, learning-rate changes included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Adam } from '../src/training/adam.js';
import { initBackend } from '../src/training/backend.js';
import { Rng } from '../src/training/rng.js';
import { nativeBackendMissing } from './helpers/native-backend.js';

const HYPER = { beta1: 0.5, beta2: 0.999, epsilon: 1e-8 };
const SHAPES = [[3, 3, 4, 5], [5], [1000]];
const LEARNING_RATES = [2e-4, 2e-4, 1e-3, 5e-5, 2e-4];

/** Per step, per variable gradients drawn from a fixed seed (some tiny, some large). */
function gradients(): Float64Array[][] {
  const rng = new Rng(42);
  return LEARNING_RATES.map((_, step) => SHAPES.map((s) => Float64Array.from({ length: s.reduce((a, b) => a * b) }, () => rng.normal() * 10 ** (step - 3))));
}

function initial(): Float64Array[] {
  const rng = new Rng(7);
  return SHAPES.map((s) => Float64Array.from({ length: s.reduce((a, b) => a * b) }, () => rng.normal()));
}

/** torch.optim.Adam's update in float64. */
function reference(): Float64Array[] {
  const params = initial();
  const m = params.map((p) => new Float64Array(p.length));
  const v = params.map((p) => new Float64Array(p.length));
  gradients().forEach((grads, s) => {
    const t = s + 1;
    const stepSize = LEARNING_RATES[s] / (1 - HYPER.beta1 ** t);
    const sqrtBias2 = Math.sqrt(1 - HYPER.beta2 ** t);
    params.forEach((p, i) => {
      for (let j = 0; j < p.length; j++) {
        const g = grads[i][j];
        m[i][j] = HYPER.beta1 * m[i][j] + (1 - HYPER.beta1) * g;
        v[i][j] = HYPER.beta2 * v[i][j] + (1 - HYPER.beta2) * g * g;
        p[j] -= (stepSize * m[i][j]) / (Math.sqrt(v[i][j]) / sqrtBias2 + HYPER.epsilon);
      }
    });
  });
  return params;
}

async function adamOn(backend: 'wasm' | 'cpu' | 'tensorflow'): Promise<{ params: Float32Array[]; steps: number; moments: number }> {
  await initBackend(backend);
  const vars = initial().map((p, i) => tf.variable(tf.tensor(Float32Array.from(p), SHAPES[i])));
  const adam = new Adam(vars, HYPER);
  gradients().forEach((grads, s) => {
    const g = grads.map((a, i) => tf.tensor(Float32Array.from(a), SHAPES[i]));
    adam.apply(g, LEARNING_RATES[s]);
    tf.dispose(g);
  });
  const params = await Promise.all(vars.map((v) => v.data() as Promise<Float32Array>));
  const state = await adam.getState();
  adam.dispose();
  tf.dispose(vars);
  return { params, steps: state.step, moments: state.m.length + state.v.length };
}

const nativeMissing = await nativeBackendMissing();

for (const backend of ['wasm', 'cpu', 'tensorflow'] as const) {
  const skip = backend === 'tensorflow' ? (nativeMissing ?? false) : false;
  test(`Adam on ${backend} follows the float64 reference over ${LEARNING_RATES.length} steps`, { skip }, async () => {
    const expected = reference();
    const start = initial();
    const { params, steps, moments } = await adamOn(backend);
    assert.equal(steps, LEARNING_RATES.length);
    assert.equal(moments, 2 * SHAPES.length);
    // Each weight must land within float32 rounding (weights ~1: 1e-6) plus 0.1% of how
    // far it moved; a skipped or wrong update misses by the whole move (~1e-3).
    let worst = 0;
    let meanMove = 0;
    let count = 0;
    params.forEach((p, i) => {
      for (let j = 0; j < p.length; j++) {
        const moved = Math.abs(expected[i][j] - start[i][j]);
        worst = Math.max(worst, Math.abs(p[j] - expected[i][j]) - 1e-3 * moved);
        meanMove += moved;
        count++;
      }
    });
    assert.ok(meanMove / count > 1e-4, `the reference barely moved the weights (${meanMove / count})`);
    assert.ok(worst < 1e-6, `largest error beyond 0.1% of the move: ${worst}`);
  });
}

test('the fused wasm update is bit-identical to the TF.js-ops update on cpu (SIMD lanes and the n % 4 tail)', async () => {
  // Same float32 operations in the same order: any difference is an arithmetic divergence.
  const [wasm, cpu] = [await adamOn('wasm'), await adamOn('cpu')];
  wasm.params.forEach((p, i) => assert.deepEqual(p, cpu.params[i], `variable ${i} (${p.length} values)`));
});
