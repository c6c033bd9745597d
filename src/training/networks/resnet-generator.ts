// The reference CycleGAN ResNet generator (Zhu et al. 2017, ResnetGenerator):
// c7s1-ngf, d(2ngf), d(4ngf), R(4ngf) x nBlocks, u(2ngf), u(ngf), c7s1-3, tanh.
// Reflect padding, instance norm without affine (so every conv keeps its bias).
import * as tf from '@tensorflow/tfjs';
import type { GeneratorArch } from '../protocol.js';
import { activation, convReflectPad, convTransposeUp, convZeroPad, instanceNorm, type Sym } from './blocks.js';

export const GENERATOR_DOWNSAMPLINGS = 2;

/** Throws unless a generator can run on square images of this size. */
export function checkGeneratorImageSize(imageSize: number): void {
  const factor = 2 ** GENERATOR_DOWNSAMPLINGS;
  if (!Number.isInteger(imageSize) || imageSize < 2 * factor || imageSize % factor !== 0) {
    throw new Error(`imageSize must be a multiple of ${factor} and at least ${2 * factor}, got ${imageSize}`);
  }
}

function residualBlock(x: Sym, name: string, dim: number): Sym {
  let y = convReflectPad(x, `${name}_conv1`, dim, 3, 1);
  y = activation(instanceNorm(y, `${name}_norm1`), `${name}_relu`, 'relu');
  y = convReflectPad(y, `${name}_conv2`, dim, 3, 1);
  y = instanceNorm(y, `${name}_norm2`);
  return tf.layers.add({ name: `${name}_add` }).apply([x, y]) as Sym;
}

/** Builds the generator on [N, imageSize, imageSize, 3] inputs in [-1, 1]; output likewise. */
export function buildResnetGenerator(arch: GeneratorArch, imageSize: number, name = 'generator'): tf.LayersModel {
  checkGeneratorImageSize(imageSize);
  const { ngf, nBlocks } = arch;
  const input = tf.input({ shape: [imageSize, imageSize, 3], name: `${name}_input` });
  let x = convReflectPad(input, 'c7s1_in', ngf, 7, 3);
  x = activation(instanceNorm(x, 'c7s1_in_norm'), 'c7s1_in_relu', 'relu');
  for (let i = 1; i <= GENERATOR_DOWNSAMPLINGS; i++) {
    x = convZeroPad(x, `down${i}`, ngf * 2 ** i, 3, 2, 1);
    x = activation(instanceNorm(x, `down${i}_norm`), `down${i}_relu`, 'relu');
  }
  const dim = ngf * 2 ** GENERATOR_DOWNSAMPLINGS;
  for (let b = 1; b <= nBlocks; b++) x = residualBlock(x, `res${b}`, dim);
  for (let i = GENERATOR_DOWNSAMPLINGS - 1; i >= 0; i--) {
    const up = GENERATOR_DOWNSAMPLINGS - i;
    x = convTransposeUp(x, `up${up}`, ngf * 2 ** i);
    x = activation(instanceNorm(x, `up${up}_norm`), `up${up}_relu`, 'relu');
  }
  x = convReflectPad(x, 'c7s1_out', 3, 7, 3);
  const output = activation(x, 'c7s1_out_tanh', 'tanh');
  return tf.model({ inputs: input, outputs: output, name });
}
