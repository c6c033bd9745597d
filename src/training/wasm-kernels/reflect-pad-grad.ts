// The reflect-padding gradient of an NHWC image (padding on height and width only) as one
// pass over the wasm heap: every padded pixel's gradient is added onto the pixel it was
// copied from. Written with ops (gradients/mirror-pad-grad.ts) it takes ~18 kernels
// (slices, reverses, pads, adds) per padding layer.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernel, type KernelParams } from './kernel-calls.js';

export const REFLECT_PAD_GRAD = 'CycleganLabReflectPadGrad';

export interface ReflectPadGradAttrs {
  /** Padding before and after, along height and along width. */
  paddings: [[number, number], [number, number]];
}

/** Source index of padded position `k` (before padding removed) along an axis of length n. */
const reflect = (k: number, n: number): number => (k < 0 ? -k : k >= n ? 2 * (n - 1) - k : k);

function reflectPadGradWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { dy } = inputs as { dy: tf.TensorInfo };
  const { paddings } = attrs as unknown as ReflectPadGradAttrs;
  const [[top, bottom], [left, right]] = paddings;
  const [batch, paddedH, paddedW, channels] = dy.shape;
  const [h, w] = [paddedH - top - bottom, paddedW - left - right];
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput([batch, h, w, channels], 'float32');
  // Views after the allocation: a growing heap invalidates older ones.
  const src = wasm.typedArrayFromHeap(dy) as Float32Array;
  const dst = wasm.typedArrayFromHeap(out) as Float32Array;
  dst.fill(0);
  for (let n = 0; n < batch; n++) {
    for (let pi = 0; pi < paddedH; pi++) {
      const row = (n * h + reflect(pi - top, h)) * w;
      for (let pj = 0; pj < paddedW; pj++) {
        const to = (row + reflect(pj - left, w)) * channels;
        const from = ((n * paddedH + pi) * paddedW + pj) * channels;
        for (let c = 0; c < channels; c++) dst[to + c] += src[from + c];
      }
    }
  }
  return out;
}

/** Registers the kernel for 'wasm' (idempotent). */
export function registerReflectPadGradForWasm(): void {
  registerWasmKernel(REFLECT_PAD_GRAD, reflectPadGradWasm);
}
