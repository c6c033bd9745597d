// The wasm backend ships no Conv2DBackpropFilter kernel, so no conv net can train on it.
// The filter gradient is itself a correlation of the input with dy, which wasm's own
// (XNNPACK) Conv2D kernel can compute:
//   dW[kh,kw,ci,co] = sum_{n,oh,ow} xpad[n, oh*s+kh, ow*s+kw, ci] * dy[n,oh,ow,co]
// Treat x^T = [Ci,H,W,N] as a batch of Ci images with N channels and dy^T = [OH,OW,N,Co]
// as a filter dilated by the stride: a stride-1 conv with the forward padding yields
// [Ci, >=KH, >=KW, Co]; slice to the filter size and transpose to [KH,KW,Ci,Co].
import * as tf from '@tensorflow/tfjs';
import { KernelCalls, registerWasmKernel, type KernelParams } from './kernel-calls.js';

function conv2dBackpropFilterWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only, got '${dataFormat}'`);
  }
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const [kh, kw, ci, co] = filterShape;
  const { top, bottom, left, right } = info.padInfo;
  const k = new KernelCalls(backend as tf.KernelBackend);
  try {
    const xT = k.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
    const dyT = k.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const corr = k.run(
      'Conv2D',
      { x: xT, filter: dyT },
      { strides: 1, pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth], dimRoundingMode },
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
