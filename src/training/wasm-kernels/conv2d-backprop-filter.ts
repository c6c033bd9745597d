// The wasm backend ships no Conv2DBackpropFilter kernel, so no conv net could train on
// it. Two ways to compute the filter gradient, both on XNNPACK:
// * a matrix product (see patch-matrix.ts): dW[K, Co] = cols[K, P] x dy[P, Co];
// * for few output channels, a correlation on wasm's Conv2D, since
//     dW[kh,kw,ci,co] = sum_{n,oh,ow} xpad[n, oh*s+kh, ow*s+kw, ci] * dy[n,oh,ow,co]:
//   x^T = [Ci,H,W,N] is a batch of Ci images with N channels, dy^T = [OH,OW,N,Co] a filter
//   dilated by the stride; the stride-1 conv with the forward padding yields
//   [Ci, >=KH, >=KW, Co], sliced to the filter size and transposed to [KH,KW,Ci,Co].
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelCalls, registerWasmKernel, type KernelParams } from './kernel-calls.js';
import { convGeometry, gatherPatches, patchMatrixPays } from './patch-matrix.js';

function conv2dBackpropFilterWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = convGeometry(a, x.shape as [number, number, number, number], a.filterShape);
  const [kh, kw, ci, co] = a.filterShape;
  const k = new KernelCalls(backend as tf.KernelBackend);
  try {
    if (patchMatrixPays(info, co)) {
      const cols = k.track(gatherPatches(backend as BackendWasm, x, info));
      const dyMatrix = k.run('Reshape', { x: dy }, { shape: [cols.shape[1], co] });
      const dw = k.run('BatchMatMul', { a: cols, b: dyMatrix }, { transposeA: false, transposeB: false });
      return k.finish(k.run('Reshape', { x: dw }, { shape: a.filterShape }));
    }
    const { top, bottom, left, right } = info.padInfo;
    const xT = k.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
    const dyT = k.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const corr = k.run(
      'Conv2D',
      { x: xT, filter: dyT },
      { strides: 1, pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth], dimRoundingMode: a.dimRoundingMode },
    );
    const cropped = k.run('Slice', { x: corr }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
    return k.finish(k.run('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] }));
  } catch (err) {
    k.dispose();
    throw err;
  }
}

/** Registers the kernel for 'wasm' (idempotent). */
export function registerConv2DBackpropFilterForWasm(): void {
  registerWasmKernel(tf.Conv2DBackpropFilter, conv2dBackpropFilterWasm);
}
