// Instance normalisation without learned scale and shift, as the reference CycleGAN
// uses it (nn.InstanceNorm2d(affine=False)): each image and channel is normalised over
// its own pixels with the biased variance and eps 1e-5. No running statistics, so
// training and inference behave the same.
import * as tf from '@tensorflow/tfjs';
import { instanceNormOnWasm } from '../wasm-kernels/instance-norm.js';

export const INSTANCE_NORM_EPSILON = 1e-5;

export class InstanceNorm extends tf.layers.Layer {
  static readonly className = 'InstanceNorm';

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    // wasm: one fused kernel forward and one backward (wasm-kernels/instance-norm.ts).
    if (tf.getBackend() === 'wasm') return instanceNormOnWasm(x, INSTANCE_NORM_EPSILON);
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, [1, 2], true);
      return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, INSTANCE_NORM_EPSILON)));
    });
  }
}

tf.serialization.registerClass(InstanceNorm);
