// One Adam update of one variable as a single pass over the wasm heap (adam-simd.ts,
// four floats at a time). Written with TF.js ops the update is ~13 elementwise kernels,
// each allocating and streaming the whole tensor; for a 4.3 M-parameter generator that
// was a fifth of a training step.
// The moments are updated in place (only Adam holds them, and nothing clones them: a
// wasm Identity would share their data, see identity.ts); the new weights are a new
// tensor, because wasm caches packed convolution weights by tensor id, so a weight
// changed in place would keep its stale packed copy.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { adamSimd, type AdamSimd } from './adam-simd.js';
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

let simd: { memory: WebAssembly.Memory; update: AdamSimd } | null = null;

/** The SIMD update bound to this backend's heap (the threaded build has its own memory object). */
function simdFor(wasm: BackendWasm): AdamSimd {
  const module = wasm.wasm as unknown as { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!memory) throw new Error('wasm Adam: cannot find the wasm backend memory');
  if (simd?.memory !== memory) simd = { memory, update: adamSimd(memory) };
  return simd.update;
}

/** Returns the updated weights; `m` and `v` are overwritten with the new moments. */
function adamUpdateWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { param, m, v, grad } = inputs as Record<'param' | 'm' | 'v' | 'grad', tf.TensorInfo>;
  const { beta1, beta2, epsilon, stepSize, sqrtBias2 } = attrs as unknown as AdamUpdateAttrs;
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput(param.shape, 'float32');
  // Views after the allocation: a growing heap invalidates older ones.
  const [p0, m1, v1, g, p1] = [param, m, v, grad, out].map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  const vectorised = p0.length - (p0.length % 4);
  const [oneMinusBeta1, oneMinusBeta2] = [1 - beta1, 1 - beta2];
  simdFor(wasm)(p0.byteOffset, m1.byteOffset, v1.byteOffset, g.byteOffset, p1.byteOffset, vectorised, beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon, stepSize, sqrtBias2);
  // The last n % 4: the same float32 operations (fround after each), so they match the SIMD lanes.
  const f = Math.fround;
  const [b1, b2, c1, c2, eps, step, bias2] = [beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon, stepSize, sqrtBias2].map(f);
  for (let i = vectorised; i < p0.length; i++) {
    const gi = g[i];
    const mi = f(f(b1 * m1[i]) + f(c1 * gi));
    const vi = f(f(b2 * v1[i]) + f(c2 * f(gi * gi)));
    m1[i] = mi;
    v1[i] = vi;
    p1[i] = f(p0[i] - f(f(mi / f(f(f(Math.sqrt(vi)) / bias2) + eps)) * step));
  }
  return out;
}

/** Registers the fused update for 'wasm' (idempotent); other backends use TF.js ops. */
export function registerAdamUpdateForWasm(): void {
  registerWasmKernel(ADAM_UPDATE, adamUpdateWasm);
}
