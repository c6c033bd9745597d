// The wasm backend ships no Conv2DBackpropFilter kernel, so no conv net can train on it.
// The filter gradient is itself a correlation of the input with dy, which wasm's own
// Conv2D kernel can compute:
//   dW[kh,kw,ci,co] = sum_{n,oh,ow} xpad[n, oh*s+kh, ow*s+kw, ci] * dy[n,oh,ow,co]
// Treat x^T = [Ci,H,W,N] as a batch of Ci images with N channels and dy^T = [OH,OW,N,Co]
// as a filter dilated by the stride: a stride-1 conv with the forward padding yields
// [Ci, >=KH, >=KW, Co]; slice to the filter size and transpose to [KH,KW,Ci,Co].
// Built from backend kernels (not ops) so nothing is taped and every temporary is freed.
import * as tf from '@tensorflow/tfjs';

type KernelParams = Parameters<tf.KernelFunc>[0];

function kernel(name: string): tf.KernelFunc {
  return tf.getKernel(name, 'wasm').kernelFunc;
}

function conv2dBackpropFilterWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only, got '${dataFormat}'`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [kh, kw, ci, co] = filterShape;
  const { top, bottom, left, right } = info.padInfo;

  const temps: tf.TensorInfo[] = [];
  const run = (name: string, ins: Record<string, tf.TensorInfo>, a: object): tf.TensorInfo => {
    const out = kernel(name)({ inputs: ins, backend, attrs: a as tf.NamedAttrMap }) as tf.TensorInfo;
    temps.push(out);
    return out;
  };
  const xT = run('Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const corr = run(
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: 1,
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
      dimRoundingMode,
    },
  );
  const cropped = run('Slice', { x: corr }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
  const dW = kernel('Transpose')({ inputs: { x: cropped }, backend, attrs: { perm: [1, 2, 0, 3] } }) as tf.TensorInfo;
  for (const t of temps) (backend as tf.KernelBackend).disposeData(t.dataId);
  return dW;
}

/** Registers the kernel for 'wasm' once (idempotent). */
export function registerConv2DBackpropFilterForWasm(): void {
  const registered = tf.getKernelsForBackend('wasm').some((k) => k.kernelName === tf.Conv2DBackpropFilter);
  if (registered) return;
  tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2dBackpropFilterWasm });
}
