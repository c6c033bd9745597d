// Convolution gradients as one matrix product each, on wasm's fast (XNNPACK) MatMul.
// With P = N*OH*OW output pixels and K = KH*KW*Ci filter taps, the "patch matrix"
// cols[k, p] holds the input pixel that tap k of the filter meets at output pixel p:
//   dW[K, Co]  = cols[K, P] x dy[P, Co]
//   dx        <- scatter-add of dcols[K, P] = W[K, Co] x dyT[Co, P]
// Both products keep the large operand first: wasm packs the second one into its own
// layout on every call, so that one should be small (dy). Filters keep their
// [KH,KW,Ci,Co] layout, which already is W[K, Co], so no filter is transposed or copied.
// Gathering and scattering the patches is a plain loop over the wasm heap: K*P moves,
// small next to the K*P*Co multiply-adds of the product.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The geometry of one NHWC convolution (TF.js's computeConv2DInfo, dilation 1). */
export interface ConvGeometry {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  strideHeight: number;
  strideWidth: number;
  filterHeight: number;
  filterWidth: number;
  padInfo: { top: number; left: number };
}

/**
 * Moves values between an NHWC input and its patch matrix: gathers input pixels into the
 * matrix, or (scatter) adds matrix entries onto the input pixels they came from. Walks
 * the matrix row by row (tap kh, kw, ci), so the matrix side is contiguous; the input
 * (at most a few MB) stays in cache. Where a tap lands in the padding, gather writes a
 * zero and scatter adds nothing.
 */
function movePatches(g: ConvGeometry, input: Float32Array, matrix: Float32Array, direction: 'gather' | 'scatter'): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = g;
  const { top, left } = g.padInfo;
  const gather = direction === 'gather';
  let m = 0;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      // Output columns whose tap kw lands inside the input: ow in [owFrom, owTo).
      const owFrom = Math.max(0, Math.ceil((left - kw) / strideWidth));
      const owTo = Math.min(outWidth, Math.floor((inWidth - 1 + left - kw) / strideWidth) + 1);
      for (let c = 0; c < inChannels; c++) {
        for (let n = 0; n < batchSize; n++) {
          for (let oh = 0; oh < outHeight; oh++, m += outWidth) {
            const ih = oh * strideHeight - top + kh;
            const inside = ih >= 0 && ih < inHeight;
            if (gather) {
              // Every matrix entry is written: the matrix comes uninitialised from the heap.
              if (!inside) {
                matrix.fill(0, m, m + outWidth);
                continue;
              }
              matrix.fill(0, m, m + owFrom);
              matrix.fill(0, m + owTo, m + outWidth);
            } else if (!inside) continue;
            const step = strideWidth * inChannels;
            let i = ((n * inHeight + ih) * inWidth + owFrom * strideWidth - left + kw) * inChannels + c;
            if (gather) for (let ow = owFrom; ow < owTo; ow++, i += step) matrix[m + ow] = input[i];
            else for (let ow = owFrom; ow < owTo; ow++, i += step) input[i] += matrix[m + ow];
          }
        }
      }
    }
  }
}

/** cols[K, P] of input `x`, zeros where a tap falls in the padding. */
export function gatherPatches(backend: BackendWasm, x: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const pixels = g.batchSize * g.outHeight * g.outWidth;
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const cols = backend.makeOutput([taps, pixels], 'float32');
  // Views after the allocation: a growing heap invalidates older ones.
  movePatches(g, backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(cols) as Float32Array, 'gather');
  return cols;
}

/** dx [N,H,W,Ci]: every entry of dcols[K, P] added onto the input pixel its tap came from. */
export function scatterPatches(backend: BackendWasm, dcols: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const dx = backend.makeOutput([g.batchSize, g.inHeight, g.inWidth, g.inChannels], 'float32');
  const input = backend.typedArrayFromHeap(dx) as Float32Array;
  input.fill(0);
  movePatches(g, input, backend.typedArrayFromHeap(dcols) as Float32Array, 'scatter');
  return dx;
}

/**
 * Whether the matrix product pays for a gradient with `outChannels` filters: it moves K*P
 * values through JavaScript for K*P*Co multiply-adds, so few output channels (an RGB
 * output layer: a 7x7x64 filter on 32x32 images gives 3.2 M moves for 9.6 M
 * multiply-adds) or a huge patch matrix (over 64 MB) go to XNNPACK's Conv2D instead.
 */
export function patchMatrixPays(g: ConvGeometry, outChannels: number): boolean {
  const entries = g.filterHeight * g.filterWidth * g.inChannels * g.batchSize * g.outHeight * g.outWidth;
  return outChannels >= MIN_OUT_CHANNELS && entries <= MAX_PATCH_MATRIX_ENTRIES;
}

const MIN_OUT_CHANNELS = 16;
const MAX_PATCH_MATRIX_ENTRIES = 2 ** 24;

/** TF.js's convolution geometry for a gradient kernel's attributes (NHWC, dilation 1). */
export function convGeometry(
  attrs: { strides: number | [number, number]; pad: tf.Conv2DBackpropFilterAttrs['pad']; dataFormat?: string; dimRoundingMode?: 'floor' | 'round' | 'ceil' },
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new Error(`wasm convolution gradients support dataFormat 'NHWC' only, got '${attrs.dataFormat}'`);
  }
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
}
