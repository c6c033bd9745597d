// wasm's own Conv2DBackpropInput is a plain C++ loop, several times slower than its
// XNNPACK Conv2D on large images; it carries every conv's input gradient and every
// transposed conv's forward pass, so it dominated a training step. This computes it with
// Conv2D instead:
//   dx[i] = sum_{o,k : o*s + k = i + padTop} dy[o] W[k]
// is a stride-1 correlation of dy, zero-dilated by the stride, with the filter rotated by
// 180 degrees and its channel axes swapped, padded by K-1-padTop before and whatever
// makes the output as tall as the input after. Rotating and repacking the filter costs
// time in proportion to its size, and the dilated zeros waste s^2 of the work, so small
// images with big filters (a PatchGAN's deep layers) stay on the original kernel.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelCalls, registerWasmKernel, type KernelParams } from './kernel-calls.js';

/** [N,OH,OW,C] -> [N,(OH-1)s+1,(OW-1)s+1,C] with s-1 zeros between neighbours. */
function dilate(k: KernelCalls, dy: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [n, oh, ow, c] = dy.shape;
  const expanded = k.run('Reshape', { x: dy }, { shape: [n, oh, 1, ow, 1, c] });
  const padded = k.run('PadV2', { x: expanded }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
  const flat = k.run('Reshape', { x: padded }, { shape: [n, oh * sh, ow * sw, c] });
  return k.run('Slice', { x: flat }, { begin: [0, 0, 0, 0], size: [n, (oh - 1) * sh + 1, (ow - 1) * sw + 1, c] });
}

/**
 * Below this many useful output pixels per filter tap (N*H*W / s^2) the original kernel
 * is faster. Measured per call: 36 and 72 -> original faster (19 vs 46 ms, 39 vs 50 ms),
 * 50 -> even, 100 and more -> Conv2D faster (15 vs 45 ms; up to 19x on 32x32 images).
 */
export const MIN_PIXELS_PER_TAP = 80;

let original: tf.KernelFunc | null = null;

/**
 * [KH,KW,Ci,Co] -> [KH,KW,Co,Ci] rotated by 180 degrees. The rotation moves whole Ci x Co
 * blocks, copied straight on the wasm heap (wasm's Reverse kernel takes ~25 ms on a
 * 3x3x256x256 filter, the block copy well under 1 ms); the channel swap is a Transpose.
 */
function rotateFilter(k: KernelCalls, backend: BackendWasm, filter: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, ci, co] = filter.shape;
  const block = ci * co;
  const taps = kh * kw;
  const rotated = k.track(backend.makeOutput(filter.shape, 'float32'));
  // Views after the allocation: a growing heap invalidates older ones.
  const src = backend.typedArrayFromHeap(filter);
  const dst = backend.typedArrayFromHeap(rotated);
  for (let t = 0; t < taps; t++) dst.set(src.subarray(t * block, (t + 1) * block), (taps - 1 - t) * block);
  return k.run('Transpose', { x: rotated }, { perm: [0, 1, 3, 2] });
}

function conv2dBackpropInputWasm(params: KernelParams): tf.TensorInfo {
  const { inputs, backend, attrs } = params;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`wasm Conv2DBackpropInput supports dataFormat 'NHWC' only, got '${dataFormat}'`);
  }
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(`Conv2DBackpropInput: dy has shape [${dy.shape}], the forward conv gives [${info.outShape}]`);
  }
  const [kh, kw] = filter.shape;
  const [batch, h, w] = inputShape;
  if (original && (batch * h * w) / (info.strideHeight * info.strideWidth) < MIN_PIXELS_PER_TAP) {
    return original(params) as tf.TensorInfo;
  }
  const { top, left } = info.padInfo;
  const k = new KernelCalls(backend as tf.KernelBackend);
  try {
    const dyd = dilate(k, dy, info.strideHeight, info.strideWidth);
    const [, hd, wd] = dyd.shape;
    const swapped = rotateFilter(k, backend as BackendWasm, filter);
    // Paddings of the stride-1 correlation; a negative one means cropping that side.
    const before = [kh - 1 - top, kw - 1 - left];
    const after = [h - hd - before[0] + kh - 1, w - wd - before[1] + kw - 1];
    const clamp = (p: number): number => Math.max(0, p);
    const conv = k.run(
      'Conv2D',
      { x: dyd, filter: swapped },
      { strides: 1, pad: [[0, 0], [clamp(before[0]), clamp(after[0])], [clamp(before[1]), clamp(after[1])], [0, 0]], dataFormat: 'NHWC', dilations: 1, dimRoundingMode },
    );
    if (before.every((p) => p >= 0) && after.every((p) => p >= 0)) return k.finish(conv);
    const begin = [0, clamp(-before[0]), clamp(-before[1]), 0];
    return k.finish(k.run('Slice', { x: conv }, { begin, size: [inputShape[0], h, w, inputShape[3]] }));
  } catch (err) {
    k.dispose();
    throw err;
  }
}

/** Replaces wasm's Conv2DBackpropInput, keeping the original for small images (idempotent). */
export function registerConv2DBackpropInputForWasm(): void {
  const current = tf.getKernelsForBackend('wasm').find((k) => k.kernelName === tf.Conv2DBackpropInput);
  if (current && current.kernelFunc !== conv2dBackpropInputWasm) original = current.kernelFunc;
  registerWasmKernel(tf.Conv2DBackpropInput, conv2dBackpropInputWasm);
}
