// The fixed test subset a run watches every epoch: the first images of each test split,
// pushed through the networks in small batches and read back as 8-bit pixels.
import * as tf from '@tensorflow/tfjs';
import { floatsToBytes, imagesToTensor, type DomainImages } from './data.js';

const BATCH = 8;

/**
 * Applies `outputs` to the first `count` images and returns, per output, one 8-bit RGB
 * frame (HWC) per image.
 */
export function translateToBytes(images: DomainImages, count: number, outputs: (x: tf.Tensor4D) => tf.Tensor4D[]): Uint8Array[][] {
  const n = Math.min(count, images.names.length);
  const frame = images.size * images.size * 3;
  let results: Uint8Array[][] | null = null;
  for (let start = 0; start < n; start += BATCH) {
    const indices = Array.from({ length: Math.min(BATCH, n - start) }, (_, i) => start + i);
    // Read outside tidy: tidy walks every element of a returned typed array looking for tensors.
    const tensors = tf.tidy(() => outputs(imagesToTensor(images, indices)));
    const values = tensors.map((t) => t.dataSync());
    tf.dispose(tensors);
    results ??= values.map(() => []);
    values.forEach((vals, o) => {
      const bytes = floatsToBytes(vals);
      indices.forEach((_, i) => results![o].push(bytes.subarray(i * frame, (i + 1) * frame)));
    });
  }
  return results ?? [];
}

/** Image i of `images` as an 8-bit frame. */
export function frameOf(images: DomainImages, i: number): Uint8Array {
  const frame = images.size * images.size * 3;
  return images.pixels.subarray(i * frame, (i + 1) * frame);
}
