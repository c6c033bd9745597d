// Loss functions of the reference CycleGAN (LSGAN + L1) and of the autoencoders.
import * as tf from '@tensorflow/tfjs';

/** LSGAN: mean squared distance of the discriminator's patch map to 1 (real) or 0 (fake). */
export const lsganLoss = (prediction: tf.Tensor, real: boolean): tf.Scalar =>
  real ? tf.mean(tf.square(tf.sub(prediction, 1))) : tf.mean(tf.square(prediction));

export const l1Loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.mean(tf.abs(tf.sub(a, b)));

export const mseLoss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.mean(tf.squaredDifference(a, b));
