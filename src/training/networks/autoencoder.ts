// The paper's autoencoder (built on the UvA deep-learning tutorial's CIFAR autoencoder):
// an encoder of 3x3 convs with GELU down to a vector latent, a decoder that unpacks the
// latent with a linear layer and transposed convs to a tanh image, and then the ResNet
// generator, whose weights later initialise a CycleGAN generator. The VAE variant has a
// mean and a log-variance head instead of a single latent head.
import * as tf from '@tensorflow/tfjs';
import type { GeneratorArch } from '../protocol.js';
import { activation, convTransposeUp, convZeroPad, type Sym } from './blocks.js';
import { buildResnetGenerator } from './resnet-generator.js';

/** The encoder halves the image three times before flattening. */
const ENCODER_DOWNSAMPLINGS = 3;

/**
 * Channel width of the encoder and decoder: 1.5 x ngf, i.e. 96 at the paper's ngf 64,
 * which puts the whole autoencoder at 6.23 M parameters (the paper reports about 6.1 M).
 */
export const autoencoderWidth = (ngf: number): number => Math.round(1.5 * ngf);

export interface AutoencoderSpec {
  generator: GeneratorArch;
  latentSize: number;
  imageSize: number;
  variational: boolean;
}

export interface Autoencoder {
  /** AE: image -> z. VAE: image -> [mu, logVar]. */
  encoder: tf.LayersModel;
  /** z -> image in [-1, 1]. */
  decoder: tf.LayersModel;
  /** The ResNet generator applied to the decoder's image. */
  generator: tf.LayersModel;
}

export function checkAutoencoderImageSize(imageSize: number): void {
  const factor = 2 ** ENCODER_DOWNSAMPLINGS;
  if (!Number.isInteger(imageSize) || imageSize < factor || imageSize % factor !== 0) {
    throw new Error(`autoencoder imageSize must be a multiple of ${factor}, got ${imageSize}`);
  }
}

const gelu = (x: Sym, name: string): Sym => activation(x, name, 'gelu');

function buildEncoder(spec: AutoencoderSpec, c: number): tf.LayersModel {
  const { imageSize, latentSize, variational } = spec;
  const input = tf.input({ shape: [imageSize, imageSize, 3], name: 'encoder_input' });
  let x = gelu(convZeroPad(input, 'enc1', c, 3, 2, 1), 'enc1_gelu');
  x = gelu(convZeroPad(x, 'enc2', c, 3, 1, 1), 'enc2_gelu');
  x = gelu(convZeroPad(x, 'enc3', 2 * c, 3, 2, 1), 'enc3_gelu');
  x = gelu(convZeroPad(x, 'enc4', 2 * c, 3, 1, 1), 'enc4_gelu');
  x = gelu(convZeroPad(x, 'enc5', 2 * c, 3, 2, 1), 'enc5_gelu');
  const flat = tf.layers.flatten({ name: 'enc_flatten' }).apply(x) as Sym;
  const head = (name: string): Sym =>
    tf.layers.dense({ name, units: latentSize, kernelInitializer: 'zeros' }).apply(flat) as Sym;
  const outputs = variational ? [head('mu'), head('log_var')] : head('latent');
  return tf.model({ inputs: input, outputs, name: 'encoder' });
}

function buildDecoder(spec: AutoencoderSpec, c: number): tf.LayersModel {
  const { imageSize, latentSize } = spec;
  const side = imageSize / 2 ** ENCODER_DOWNSAMPLINGS;
  const input = tf.input({ shape: [latentSize], name: 'decoder_input' });
  let x = tf.layers.dense({ name: 'dec_linear', units: side * side * 2 * c, kernelInitializer: 'zeros' }).apply(input) as Sym;
  x = gelu(x, 'dec_linear_gelu');
  x = tf.layers.reshape({ name: 'dec_reshape', targetShape: [side, side, 2 * c] }).apply(x) as Sym;
  x = gelu(convTransposeUp(x, 'dec1', 2 * c), 'dec1_gelu');
  x = gelu(convZeroPad(x, 'dec2', 2 * c, 3, 1, 1), 'dec2_gelu');
  x = gelu(convTransposeUp(x, 'dec3', c), 'dec3_gelu');
  x = gelu(convZeroPad(x, 'dec4', c, 3, 1, 1), 'dec4_gelu');
  const output = activation(convTransposeUp(x, 'dec5', 3), 'dec5_tanh', 'tanh');
  return tf.model({ inputs: input, outputs: output, name: 'decoder' });
}

export function buildAutoencoder(spec: AutoencoderSpec): Autoencoder {
  checkAutoencoderImageSize(spec.imageSize);
  if (!Number.isInteger(spec.latentSize) || spec.latentSize < 1) {
    throw new Error(`latentSize must be a positive integer, got ${spec.latentSize}`);
  }
  const c = autoencoderWidth(spec.generator.ngf);
  return {
    encoder: buildEncoder(spec, c),
    decoder: buildDecoder(spec, c),
    generator: buildResnetGenerator(spec.generator, spec.imageSize, 'generator'),
  };
}

export const autoencoderParamCount = (ae: Autoencoder): number =>
  ae.encoder.countParams() + ae.decoder.countParams() + ae.generator.countParams();
