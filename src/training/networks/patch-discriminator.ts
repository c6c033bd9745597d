// The reference PatchGAN discriminator (NLayerDiscriminator, "70x70" at nLayers 3):
// C(ndf) without norm, then nLayers-1 strided C(ndf*min(2^n,8)) with instance norm, one
// stride-1 C, and a 1-channel stride-1 conv. 4x4 kernels, padding 1, LeakyReLU 0.2.
import * as tf from '@tensorflow/tfjs';
import type { DiscriminatorArch } from '../protocol.js';
import { convZeroPad, instanceNorm, leakyRelu } from './blocks.js';

const KERNEL = 4;
const PAD = 1;

/** Side of the patch map for a square input, or < 1 when the input is too small. */
export function patchMapSize(imageSize: number, nLayers: number): number {
  let s = imageSize;
  for (let n = 0; n < nLayers; n++) s = Math.floor((s + 2 * PAD - KERNEL) / 2) + 1;
  return s - 2 * (KERNEL - 2 * PAD - 1);
}

export function buildPatchDiscriminator(arch: DiscriminatorArch, imageSize: number, name = 'discriminator'): tf.LayersModel {
  const { ndf, nLayers } = arch;
  if (!Number.isInteger(nLayers) || nLayers < 1) throw new Error(`discriminator nLayers must be an integer >= 1, got ${nLayers}`);
  const out = patchMapSize(imageSize, nLayers);
  if (out < 1) {
    throw new Error(`discriminator with nLayers ${nLayers} needs a larger image than ${imageSize}x${imageSize} (patch map would be ${out}x${out}); lower nLayers`);
  }
  const width = (n: number): number => ndf * Math.min(2 ** n, 8);
  const input = tf.input({ shape: [imageSize, imageSize, 3], name: `${name}_input` });
  let x = leakyRelu(convZeroPad(input, 'conv0', ndf, KERNEL, 2, PAD), 'conv0_lrelu');
  for (let n = 1; n < nLayers; n++) {
    x = convZeroPad(x, `conv${n}`, width(n), KERNEL, 2, PAD);
    x = leakyRelu(instanceNorm(x, `conv${n}_norm`), `conv${n}_lrelu`);
  }
  x = convZeroPad(x, `conv${nLayers}`, width(nLayers), KERNEL, 1, PAD);
  x = leakyRelu(instanceNorm(x, `conv${nLayers}_norm`), `conv${nLayers}_lrelu`);
  const output = convZeroPad(x, 'patch_out', 1, KERNEL, 1, PAD);
  return tf.model({ inputs: input, outputs: output, name });
}
