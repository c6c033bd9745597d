// PyTorch's ReflectionPad2d as a serialisable Keras-style layer (NHWC). Its gradient is
// exact because gradients/mirror-pad-grad.ts replaces TF.js's MirrorPad gradient.
import * as tf from '@tensorflow/tfjs';

export interface ReflectionPadArgs {
  padding: number;
  name?: string;
}

export class ReflectionPad2D extends tf.layers.Layer {
  static readonly className = 'ReflectionPad2D';
  readonly padding: number;

  constructor(args: ReflectionPadArgs) {
    super({ name: args.name });
    this.padding = args.padding;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w, c] = inputShape as tf.Shape;
    const grow = (d: number | null): number | null => (d === null ? null : d + 2 * this.padding);
    return [n, grow(h), grow(w), c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const p = this.padding;
    return tf.mirrorPad(x, [[0, 0], [p, p], [p, p], [0, 0]], 'reflect');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding };
  }
}

tf.serialization.registerClass(ReflectionPad2D);
