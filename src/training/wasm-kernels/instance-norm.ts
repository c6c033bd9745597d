// Instance normalisation (no affine, biased variance) and its gradient as one pass each
// over the wasm heap. Written with ops, autodiff turns each normalisation into ~25 kernels
// forward and backward (moments, broadcasts, reductions), with as many tape entries; a
// CycleGAN iteration runs 56 (11 per generator pass, 3 per discriminator pass).
// Per image n and channel c, over the S pixels:
//   y = (x - mean) r,  r = 1 / sqrt(var + eps)
//   dx = r (dy - mean(dy) - y mean(dy y))
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernel, type KernelParams } from './kernel-calls.js';

export const INSTANCE_NORM = 'CycleganLabInstanceNorm';
export const INSTANCE_NORM_GRAD = 'CycleganLabInstanceNormGrad';

export interface InstanceNormAttrs {
  epsilon: number;
}

/** Returns [y, r]: the normalised image and each image's and channel's 1/std ([N, C]). */
function instanceNormWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo[] {
  const { x } = inputs as { x: tf.TensorInfo };
  const { epsilon } = attrs as unknown as InstanceNormAttrs;
  const [batch, h, w, channels] = x.shape;
  const size = h * w * channels;
  const wasm = backend as BackendWasm;
  const y = wasm.makeOutput(x.shape, 'float32');
  const r = wasm.makeOutput([batch, channels], 'float32');
  // Views after the allocations: a growing heap invalidates older ones.
  const [xs, ys, rs] = [x, y, r].map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  const mean = new Float64Array(channels);
  const sq = new Float64Array(channels);
  for (let n = 0; n < batch; n++) {
    const [start, end] = [n * size, (n + 1) * size];
    mean.fill(0);
    sq.fill(0);
    for (let i = start, c = 0; i < end; i++, c = c + 1 === channels ? 0 : c + 1) mean[c] += xs[i];
    for (let c = 0; c < channels; c++) mean[c] /= h * w;
    // Two passes: the variance about the mean, as numerically safe as the ops version.
    for (let i = start, c = 0; i < end; i++, c = c + 1 === channels ? 0 : c + 1) sq[c] += (xs[i] - mean[c]) ** 2;
    for (let c = 0; c < channels; c++) rs[n * channels + c] = 1 / Math.sqrt(sq[c] / (h * w) + epsilon);
    const rn = rs.subarray(n * channels, (n + 1) * channels);
    for (let i = start, c = 0; i < end; i++, c = c + 1 === channels ? 0 : c + 1) ys[i] = (xs[i] - mean[c]) * rn[c];
  }
  return [y, r];
}

function instanceNormGradWasm({ inputs, backend }: KernelParams): tf.TensorInfo {
  const { dy, y, r } = inputs as Record<'dy' | 'y' | 'r', tf.TensorInfo>;
  const [batch, h, w, channels] = y.shape;
  const size = h * w * channels;
  const wasm = backend as BackendWasm;
  const dx = wasm.makeOutput(y.shape, 'float32');
  const [dys, ys, rs, dxs] = [dy, y, r, dx].map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  const meanDy = new Float64Array(channels);
  const meanDyY = new Float64Array(channels);
  for (let n = 0; n < batch; n++) {
    const [start, end] = [n * size, (n + 1) * size];
    meanDy.fill(0);
    meanDyY.fill(0);
    for (let i = start, c = 0; i < end; i++, c = c + 1 === channels ? 0 : c + 1) {
      meanDy[c] += dys[i];
      meanDyY[c] += dys[i] * ys[i];
    }
    for (let c = 0; c < channels; c++) {
      meanDy[c] /= h * w;
      meanDyY[c] /= h * w;
    }
    const rn = rs.subarray(n * channels, (n + 1) * channels);
    for (let i = start, c = 0; i < end; i++, c = c + 1 === channels ? 0 : c + 1) dxs[i] = rn[c] * (dys[i] - meanDy[c] - ys[i] * meanDyY[c]);
  }
  return dx;
}

/** Registers both kernels for 'wasm' (idempotent). */
export function registerInstanceNormForWasm(): void {
  registerWasmKernel(INSTANCE_NORM, instanceNormWasm);
  registerWasmKernel(INSTANCE_NORM_GRAD, instanceNormGradWasm);
}

/** Instance norm of an NHWC tensor on wasm, differentiable (the gradient is the fused kernel). */
export const instanceNormOnWasm = (x: tf.Tensor4D, epsilon: number): tf.Tensor4D =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const attrs: InstanceNormAttrs = { epsilon };
    const [y, r] = tf.engine().runKernel(INSTANCE_NORM, { x: input }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    save([y, r]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(INSTANCE_NORM_GRAD, { dy, y: saved[0], r: saved[1] }, {}) as tf.Tensor,
    };
  })(x) as tf.Tensor4D;
