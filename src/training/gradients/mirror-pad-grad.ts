// TF.js's MirrorPad gradient only slices the centre out of dy, dropping the gradient
// that flows through the mirrored border pixels back into the pixels they copy. The
// reference generator (PyTorch ReflectionPad2d) back-propagates those, and every
// backend shares the same wrong rule, so a cross-backend comparison would not catch it.
// This replaces it with the exact adjoint: per padded axis, fold the reversed borders
// back onto the pixels they were copied from.
import * as tf from '@tensorflow/tfjs';
import { REFLECT_PAD_GRAD, type ReflectPadGradAttrs } from '../wasm-kernels/reflect-pad-grad.js';

type Mode = 'reflect' | 'symmetric';

/** Folds the padding of one axis of `dy` back onto the `n` source positions. */
function foldAxis(dy: tf.Tensor, axis: number, before: number, after: number, n: number, mode: Mode): tf.Tensor {
  if (before === 0 && after === 0) return dy;
  const shape = dy.shape;
  const sliceAlong = (start: number, size: number): tf.Tensor => {
    const begin = shape.map((_, i) => (i === axis ? start : 0));
    const sizes = shape.map((s, i) => (i === axis ? size : s));
    return tf.slice(dy, begin, sizes);
  };
  const padAlong = (t: tf.Tensor, lo: number, hi: number): tf.Tensor =>
    tf.pad(t, shape.map((_, i) => (i === axis ? [lo, hi] : [0, 0])) as [number, number][]);
  // reflect skips the edge pixel when mirroring, symmetric repeats it.
  const edge = mode === 'reflect' ? 1 : 0;
  let grad = sliceAlong(before, n);
  if (before > 0) {
    const left = tf.reverse(sliceAlong(0, before), axis);
    grad = tf.add(grad, padAlong(left, edge, n - before - edge));
  }
  if (after > 0) {
    const right = tf.reverse(sliceAlong(before + n, after), axis);
    grad = tf.add(grad, padAlong(right, n - after - edge, edge));
  }
  return grad;
}

const mirrorPadGradConfig: tf.GradConfig = {
  kernelName: tf.MirrorPad,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { paddings, mode } = attrs as unknown as tf.MirrorPadAttrs;
    return {
      x: () => {
        const [batchPad, hPad, wPad, channelPad] = paddings;
        const imageOnly = x.rank === 4 && [...batchPad, ...channelPad].every((p) => p === 0);
        if (mode === 'reflect' && imageOnly && tf.getBackend() === 'wasm') {
          // One fused pass on wasm (wasm-kernels/reflect-pad-grad.ts), the same fold as below.
          const fused: ReflectPadGradAttrs = { paddings: [hPad, wPad] };
          return tf.engine().runKernel(REFLECT_PAD_GRAD, { dy: dy as tf.Tensor }, fused as unknown as tf.NamedAttrMap) as tf.Tensor;
        }
        let g = dy as tf.Tensor;
        paddings.forEach(([before, after], axis) => {
          g = foldAxis(g, axis, before, after, x.shape[axis], mode);
        });
        return g;
      },
    };
  },
};

/** Installs the exact MirrorPad gradient (idempotent; applies to every backend). */
export function registerReflectPadGradient(): void {
  tf.registerGradient(mirrorPadGradConfig);
}
