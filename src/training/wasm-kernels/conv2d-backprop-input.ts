// wasm's own Conv2DBackpropInput is a plain C++ loop several times slower than XNNPACK;
// it carries every conv's input gradient and every transposed conv's forward pass (the
// generator's upsampling). Two faster ways, both on XNNPACK:
// * a matrix product (see patch-matrix.ts): dx = scatter of W[K, Co] x dyT[Co, P];
// * for few output channels, a correlation on wasm's Conv2D:
//     dx[i] = sum_{o,k : o*s + k = i + padTop} dy[o] W[k]
//   is a stride-1 correlation of dy, zero-dilated by the stride, with the filter rotated
//   by 180 degrees and its channel axes swapped, padded by K-1-padTop before and whatever
//   makes the output as tall as the input after.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelCalls, registerWasmKernel, type KernelParams } from './kernel-calls.js';
import { convGeometry, patchMatrixPays, scatterPatches } from './patch-matrix.js';

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

function conv2dBackpropInputWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const info = convGeometry(a, a.inputShape, filter.shape as [number, number, number, number]);
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(`Conv2DBackpropInput: dy has shape [${dy.shape}], the forward conv gives [${info.outShape}]`);
  }
  const [kh, kw, ci, co] = filter.shape;
  const k = new KernelCalls(backend as tf.KernelBackend);
  try {
    if (patchMatrixPays(info, co)) {
      const w = k.run('Reshape', { x: filter }, { shape: [kh * kw * ci, co] });
      const dyMatrix = k.run('Reshape', { x: dy }, { shape: [info.batchSize * info.outHeight * info.outWidth, co] });
      const dyT = k.run('Transpose', { x: dyMatrix }, { perm: [1, 0] });
      const dcols = k.run('BatchMatMul', { a: w, b: dyT }, { transposeA: false, transposeB: false });
      return k.finish(k.track(scatterPatches(backend as BackendWasm, dcols, info)));
    }
    const [batch, h, w] = a.inputShape;
    const { top, left } = info.padInfo;
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
      { strides: 1, pad: [[0, 0], [clamp(before[0]), clamp(after[0])], [clamp(before[1]), clamp(after[1])], [0, 0]], dataFormat: 'NHWC', dilations: 1, dimRoundingMode: a.dimRoundingMode },
    );
    if (before.every((p) => p >= 0) && after.every((p) => p >= 0)) return k.finish(conv);
    const begin = [0, clamp(-before[0]), clamp(-before[1]), 0];
    return k.finish(k.run('Slice', { x: conv }, { begin, size: [batch, h, w, ci] }));
  } catch (err) {
    k.dispose();
    throw err;
  }
}

/** Replaces wasm's Conv2DBackpropInput (idempotent). */
export function registerConv2DBackpropInputForWasm(): void {
  registerWasmKernel(tf.Conv2DBackpropInput, conv2dBackpropInputWasm);
}
