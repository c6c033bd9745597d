// Building blocks shared by the networks, each written as the PyTorch reference layer it
// reproduces. Padding is always explicit (a separate layer + 'valid' conv) because
// TF's 'same' puts the odd pixel of a strided conv on the other side than PyTorch does.
import * as tf from '@tensorflow/tfjs';
import { ReflectionPad2D } from '../layers/reflection-pad.js';
import { InstanceNorm } from '../layers/instance-norm.js';

export type Sym = tf.SymbolicTensor;

const apply = (layer: tf.layers.Layer, x: Sym): Sym => layer.apply(x) as Sym;

/** Weights start at zero here; init-weights.ts draws them from the run's seeded PRNG. */
function conv(x: Sym, name: string, filters: number, kernelSize: number, strides: number): Sym {
  return apply(
    tf.layers.conv2d({ name, filters, kernelSize, strides, padding: 'valid', useBias: true, kernelInitializer: 'zeros' }),
    x,
  );
}

/** nn.Conv2d(k, stride, padding=p, padding_mode='zeros'). */
export function convZeroPad(x: Sym, name: string, filters: number, kernelSize: number, strides: number, pad: number): Sym {
  const padded = pad > 0 ? apply(tf.layers.zeroPadding2d({ name: `${name}_pad`, padding: pad }), x) : x;
  return conv(padded, name, filters, kernelSize, strides);
}

/** nn.ReflectionPad2d(p) followed by nn.Conv2d(k, stride 1, padding 0). */
export function convReflectPad(x: Sym, name: string, filters: number, kernelSize: number, pad: number): Sym {
  return conv(apply(new ReflectionPad2D({ name: `${name}_pad`, padding: pad }), x), name, filters, kernelSize, 1);
}

/**
 * nn.ConvTranspose2d(k=3, stride=2, padding=1, output_padding=1): doubles the size.
 * The full transposed conv is 2H+1 wide; PyTorch drops the first row and column.
 */
export function convTransposeUp(x: Sym, name: string, filters: number): Sym {
  const full = apply(
    tf.layers.conv2dTranspose({ name, filters, kernelSize: 3, strides: 2, padding: 'valid', useBias: true, kernelInitializer: 'zeros' }),
    x,
  );
  return apply(tf.layers.cropping2D({ name: `${name}_crop`, cropping: [[1, 0], [1, 0]] }), full);
}

export const instanceNorm = (x: Sym, name: string): Sym => apply(new InstanceNorm({ name }), x);

export const activation = (x: Sym, name: string, fn: 'relu' | 'tanh' | 'gelu'): Sym =>
  apply(tf.layers.activation({ name, activation: fn }), x);

export const leakyRelu = (x: Sym, name: string): Sym => apply(tf.layers.leakyReLU({ name, alpha: 0.2 }), x);
