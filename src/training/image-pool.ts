// The reference ImagePool: a buffer of up to `size` generated images the discriminator
// sees instead of only the newest ones (Shrivastava et al. 2017). Until full, each new
// image is stored and returned; after that, with probability 1/2 a random stored image is
// returned and replaced by the new one, else the new one is returned.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from './rng.js';

export class ImagePool {
  private images: tf.Tensor3D[] = [];

  constructor(readonly size: number) {}

  get length(): number {
    return this.images.length;
  }

  /** `batch` [N,H,W,C] -> [N,H,W,C] drawn as above. Consumes one uniform draw per image once full. */
  query(batch: tf.Tensor4D, rng: Rng): tf.Tensor4D {
    if (this.size === 0) return batch.clone();
    const out: tf.Tensor3D[] = [];
    for (const image of tf.unstack(batch) as tf.Tensor3D[]) {
      if (this.images.length < this.size) {
        this.images.push(tf.keep(image.clone()));
        out.push(image);
      } else if (rng.uniform() > 0.5) {
        const id = rng.int(this.size);
        out.push(this.images[id].clone());
        this.images[id].dispose();
        this.images[id] = tf.keep(image.clone());
      } else {
        out.push(image);
      }
    }
    return tf.stack(out) as tf.Tensor4D;
  }

  /** Stored images as one float32 array (image after image) for a checkpoint. */
  async serialize(): Promise<{ count: number; shape: number[]; data: Float32Array }> {
    if (this.images.length === 0) return { count: 0, shape: [], data: new Float32Array(0) };
    const stacked = tf.stack(this.images);
    const data = (await stacked.data()) as Float32Array;
    stacked.dispose();
    return { count: this.images.length, shape: this.images[0].shape, data };
  }

  restore(count: number, shape: number[], data: Float32Array): void {
    if (count > this.size) throw new Error(`image pool checkpoint holds ${count} images, pool size is ${this.size}`);
    this.dispose();
    if (count === 0) return;
    const stacked = tf.tensor(data, [count, ...shape]);
    this.images = (tf.unstack(stacked) as tf.Tensor3D[]).map((t) => tf.keep(t));
    stacked.dispose();
  }

  dispose(): void {
    tf.dispose(this.images);
    this.images = [];
  }
}
