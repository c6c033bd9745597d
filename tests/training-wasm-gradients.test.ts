// The wasm backend trains with the Conv2DBackpropFilter and Conv2DBackpropInput kernels we
// register: filter gradients, input gradients and transposed convolutions must equal the
// reference cpu backend's, on both of their paths (5 output channels: Conv2D; 16: the
// patch-matrix product). Also checks the replaced MirrorPad gradient against the exact
// adjoint computed by hand.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/training/backend.js';
import { Rng } from '../src/training/rng.js';
import { InstanceNorm } from '../src/training/layers/instance-norm.js';
import { assertGradientsMatch, generatorGradients, relativeError } from './helpers/generator-gradients.js';

const TOLERANCE = 1e-4;

before(async () => {
  assert.equal(await initBackend('wasm'), 'wasm');
});

function randomArray(rng: Rng, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => rng.normal());
}

/** Runs `fn` on `backend` and reads back every tensor it returns. */
async function evaluateOn(backend: 'wasm' | 'cpu', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const tensors = fn();
  const values = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(tensors);
  return values;
}

async function compareBackends(fn: () => tf.Tensor[]): Promise<number> {
  const [wasm, cpu] = [await evaluateOn('wasm', fn), await evaluateOn('cpu', fn)];
  await tf.setBackend('wasm');
  return Math.max(...wasm.map((w, i) => relativeError(w, cpu[i])));
}

const cases = [1, 2].flatMap((stride) =>
  (['same', 'valid'] as const).flatMap((pad) => [1, 4].flatMap((batch) => [5, 16].map((channels) => ({ stride, pad, batch, channels })))),
);

describe('wasm Conv2DBackpropFilter and Conv2DBackpropInput', () => {
  for (const { stride, pad, batch, channels } of cases) {
    for (const kernel of [3, 4]) {
      test(`conv2d filter gradient: kernel ${kernel}, stride ${stride}, ${pad}, batch ${batch}, ${channels} filters`, async () => {
        const rng = new Rng(100 + stride * 10 + batch + kernel);
        const xShape: [number, number, number, number] = [batch, 10, 9, 3];
        const wShape: [number, number, number, number] = [kernel, kernel, 3, channels];
        const x = randomArray(rng, xShape.reduce((a, b) => a * b));
        const w = randomArray(rng, wShape.reduce((a, b) => a * b));
        const err = await compareBackends(() => {
          const xt = tf.tensor4d(x, xShape);
          const y = (f: tf.Tensor4D): tf.Tensor4D => tf.conv2d(xt, f, stride, pad);
          const probe = tf.tensor(randomArray(new Rng(7), y(tf.tensor4d(w, wShape)).size), y(tf.tensor4d(w, wShape)).shape);
          const loss = (f: tf.Tensor): tf.Scalar => tf.sum(tf.mul(y(f as tf.Tensor4D), probe));
          return [tf.grad(loss)(tf.tensor4d(w, wShape))];
        });
        assert.ok(err < TOLERANCE, `relative error ${err}`);
      });

      test(`conv2d input gradient: kernel ${kernel}, stride ${stride}, ${pad}, batch ${batch}, ${channels} filters`, async () => {
        const rng = new Rng(300 + stride * 10 + batch + kernel);
        const xShape: [number, number, number, number] = [batch, 24, 23, 3];
        const wShape: [number, number, number, number] = [kernel, kernel, 3, channels];
        const x = randomArray(rng, xShape.reduce((a, b) => a * b));
        const w = randomArray(rng, wShape.reduce((a, b) => a * b));
        const err = await compareBackends(() => {
          const wt = tf.tensor4d(w, wShape);
          const y = (t: tf.Tensor4D): tf.Tensor4D => tf.conv2d(t, wt, stride, pad);
          const probe = tf.tensor(randomArray(new Rng(9), y(tf.tensor4d(x, xShape)).size), y(tf.tensor4d(x, xShape)).shape);
          return [tf.grad((t: tf.Tensor) => tf.sum(tf.mul(y(t as tf.Tensor4D), probe)))(tf.tensor4d(x, xShape))];
        });
        assert.ok(err < TOLERANCE, `relative error ${err}`);
      });
    }

    test(`conv2dTranspose output and filter gradient: stride ${stride}, ${pad}, batch ${batch}, ${channels} input channels`, async () => {
      const rng = new Rng(200 + stride * 10 + batch);
      const inSize = 12;
      const outSize = pad === 'same' ? inSize * stride : (inSize - 1) * stride + 3;
      // A transposed conv's forward pass is a Conv2DBackpropInput whose "output channels" are its input channels.
      const xShape: [number, number, number, number] = [batch, inSize, inSize, channels];
      const wShape: [number, number, number, number] = [3, 3, 2, channels];
      const outShape: [number, number, number, number] = [batch, outSize, outSize, 2];
      const x = randomArray(rng, xShape.reduce((a, b) => a * b));
      const w = randomArray(rng, wShape.reduce((a, b) => a * b));
      const probe = randomArray(rng, outShape.reduce((a, b) => a * b));
      const err = await compareBackends(() => {
        const xt = tf.tensor4d(x, xShape);
        const loss = (f: tf.Tensor): tf.Scalar =>
          tf.sum(tf.mul(tf.conv2dTranspose(xt, f as tf.Tensor4D, outShape, stride, pad), tf.tensor4d(probe, outShape)));
        const forward = tf.conv2dTranspose(xt, tf.tensor4d(w, wShape), outShape, stride, pad);
        return [tf.grad(loss)(tf.tensor4d(w, wShape)), forward];
      });
      assert.ok(err < TOLERANCE, `relative error ${err}`);
    });
  }
});

test('instance norm on wasm (fused kernels): output and input gradient equal the cpu ops version', async () => {
  const rng = new Rng(21);
  const shape: [number, number, number, number] = [2, 5, 7, 5];
  // Channels with different offsets and scales, so a mixed-up channel or image shows.
  const x = Float32Array.from({ length: 2 * 5 * 7 * 5 }, (_, i) => rng.normal() * (1 + (i % 5)) + (i % 5) - 2);
  const probe = randomArray(rng, x.length);
  const norm = new InstanceNorm();
  const err = await compareBackends(() => {
    const loss = (t: tf.Tensor): tf.Scalar => tf.sum(tf.mul(norm.apply(t) as tf.Tensor, tf.tensor4d(probe, shape)));
    return [norm.apply(tf.tensor4d(x, shape)) as tf.Tensor, tf.grad(loss)(tf.tensor4d(x, shape))];
  });
  assert.ok(err < TOLERANCE, `relative error ${err}`);
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`reflect-pad gradient folds the mirrored border back onto its source pixels (${backend})`, async () => {
    await tf.setBackend(backend);
    // Uneven paddings, a batch and channels: wasm computes this with its own fused kernel.
    const [n, h, w, c] = [2, 3, 4, 3];
    const [top, bottom, left, right] = [2, 1, 1, 2];
    const [ph, pw] = [h + top + bottom, w + left + right];
    const weights = randomArray(new Rng(3), n * ph * pw * c);
    // d/dx sum(weights * pad(x)) = sum of the weights of every padded pixel copied from x.
    const reflect = (k: number, size: number): number => (k < 0 ? -k : k >= size ? 2 * (size - 1) - k : k);
    const expected = new Float32Array(n * h * w * c);
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < ph; i++) {
        for (let j = 0; j < pw; j++) {
          for (let k = 0; k < c; k++) {
            expected[((b * h + reflect(i - top, h)) * w + reflect(j - left, w)) * c + k] += weights[((b * ph + i) * pw + j) * c + k];
          }
        }
      }
    }
    const grad = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.mul(tf.mirrorPad(x as tf.Tensor4D, [[0, 0], [top, bottom], [left, right], [0, 0]], 'reflect'), tf.tensor4d(weights, [n, ph, pw, c]))),
    )(tf.zeros([n, h, w, c]));
    const got = await grad.data();
    await tf.setBackend('wasm');
    for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-5, `value ${i}: ${got[i]} vs ${expected[i]}`);
  });
}

test('every parameter gradient of a generator step (ngf 8, 16x16) matches the cpu backend', async () => {
  await tf.setBackend('wasm');
  const wasm = await generatorGradients(16);
  await tf.setBackend('cpu');
  const cpu = await generatorGradients(16);
  await tf.setBackend('wasm');
  const { worst, checked } = assertGradientsMatch(wasm, cpu, TOLERANCE);
  console.log(`generator gradients: ${checked} tensors compared, worst relative error ${worst.toExponential(2)}`);
});
