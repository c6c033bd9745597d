// One Adam update of one variable as a single pass over the wasm heap. Written with
// TF.js ops the update is ~13 elementwise kernels, each allocating and streaming the
// whole tensor; for a 4.3 M-parameter generator that was a fifth of a training step.
// The moments are updated in place (only Adam holds them); the new weights are a new
// tensor, because wasm caches packed convolution weights by tensor id, so a weight
// changed in place would keep its stale packed copy.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernel, type KernelParams } from './kernel-calls.js';

export const ADAM_UPDATE = 'CycleganLabAdamUpdate';

/** Hyper-parameters of one step; stepSize and sqrtBias2 carry the bias corrections. */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** lr / (1 - beta1^t) */
  stepSize: number;
  /** sqrt(1 - beta2^t) */
  sqrtBias2: number;
}

/** Returns the updated weights; `m` and `v` are overwritten with the new moments. */
function adamUpdateWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { param, m, v, grad } = inputs as Record<'param' | 'm' | 'v' | 'grad', tf.TensorInfo>;
  const { beta1, beta2, epsilon, stepSize, sqrtBias2 } = attrs as unknown as AdamUpdateAttrs;
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput(param.shape, 'float32');
  // Views after the allocation: a growing heap invalidates older ones.
  const [p0, m1, v1, g, p1] = [param, m, v, grad, out].map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  for (let i = 0; i < p0.length; i++) {
    const gi = g[i];
    const mi = beta1 * m1[i] + (1 - beta1) * gi;
    const vi = beta2 * v1[i] + (1 - beta2) * gi * gi;
    m1[i] = mi;
    v1[i] = vi;
    p1[i] = p0[i] - (stepSize * mi) / (Math.sqrt(vi) / sqrtBias2 + epsilon);
  }
  return out;
}

/** Registers the fused update for 'wasm' (idempotent); other backends use TF.js ops. */
export function registerAdamUpdateForWasm(): void {
  registerWasmKernel(ADAM_UPDATE, adamUpdateWasm);
}
