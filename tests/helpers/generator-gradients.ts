// One generator step's parameter gradients on fixed data, for comparing backends.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildResnetGenerator } from '../../src/training/networks/resnet-generator.js';
import { initWeights } from '../../src/training/networks/init-weights.js';
import { Rng } from '../../src/training/rng.js';

export interface GeneratorGradients {
  /** Weight names in the generator's order. */
  names: string[];
  grads: Float32Array[];
}

/**
 * L1 loss of an ngf-8, 2-block generator on `size` x `size` inputs. Fixed data: a ReLU
 * input within float rounding of 0 (about 1e-6) may fall on either side on two backends
 * and legitimately change the gradients; seed 13 has none at 16x16 (seed 12 has one).
 */
export async function generatorGradients(size: number): Promise<GeneratorGradients> {
  const generator = buildResnetGenerator({ ngf: 8, nBlocks: 2 }, size, 'gradcheck');
  initWeights(generator, new Rng(11));
  const rng = new Rng(13);
  const image = (): Float32Array => Float32Array.from({ length: size * size * 3 }, () => Math.tanh(rng.normal()));
  const [input, target] = [image(), image()];
  const vars = generator.trainableWeights.map((w) => w.read() as tf.Variable);
  const grads = tf.tidy(() => {
    const x = tf.tensor4d(input, [1, size, size, 3]);
    const y = tf.tensor4d(target, [1, size, size, 3]);
    const { grads: byName } = tf.variableGrads(() => tf.mean(tf.abs(tf.sub(generator.apply(x) as tf.Tensor, y))), vars);
    return vars.map((v) => byName[v.name]);
  });
  const values = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
  tf.dispose(grads);
  const names = generator.trainableWeights.map((w) => w.originalName);
  generator.dispose();
  return { names, grads: values };
}

/** max |a - b| / max |b|: relative to the scale of the reference gradient. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  assert.ok(scale > 0, 'reference gradient is all zeros: the comparison would prove nothing');
  return diff / scale;
}

/** Asserts every gradient of `got` is within `tolerance` of `reference`; returns the worst error. */
export function assertGradientsMatch(got: GeneratorGradients, reference: GeneratorGradients, tolerance: number): { worst: number; checked: number } {
  assert.deepEqual(got.names, reference.names);
  let worst = 0;
  let checked = 0;
  reference.names.forEach((name, i) => {
    // A conv bias right before instance norm is cancelled by the mean subtraction: its
    // exact gradient is 0 and both backends return rounding noise, so compare it to the
    // network's gradient scale instead of its own.
    if (name.endsWith('/bias') && !name.startsWith('c7s1_out')) {
      const noise = Math.max(...reference.grads[i].map(Math.abs), ...got.grads[i].map(Math.abs));
      assert.ok(noise < 1e-6, `${name}: expected ~0, got ${noise}`);
      return;
    }
    const err = relativeError(got.grads[i], reference.grads[i]);
    worst = Math.max(worst, err);
    checked++;
    assert.ok(err < tolerance, `${name}: relative error ${err}`);
  });
  assert.ok(checked >= 10);
  return { worst, checked };
}
