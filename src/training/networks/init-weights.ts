// The reference's init_weights('normal', 0.02): every conv, transposed-conv and linear
// weight from N(0, 0.02), every bias 0. Drawn from the run's PRNG so a seed fixes them.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng.js';

export const INIT_STD = 0.02;

export function initWeights(model: tf.LayersModel, rng: Rng): void {
  const values = model.weights.map((w) => {
    const size = (w.shape as number[]).reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (!w.originalName.endsWith('/bias')) for (let i = 0; i < size; i++) data[i] = INIT_STD * rng.normal();
    return tf.tensor(data, w.shape as number[]);
  });
  model.setWeights(values);
  tf.dispose(values);
}
