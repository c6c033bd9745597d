// What every feature extractor offers the evaluator, and the batched forward pass they share:
// 8-bit RGB images in, one pooled feature row per image out.
import * as tf from '@tensorflow/tfjs';
import type { FeatureExtractorName, MetricName } from '../../training/protocol.js';
import type { FeatureMatrix } from '../features.js';

/** N images of height x width x 3, 8-bit RGB, row-major NHWC (as loadDomainImages returns them). */
export interface RgbImages {
  pixels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

export interface ExtractOptions {
  /** Images per forward pass. */
  batchSize?: number;
  /** Called after every batch with the images done so far. */
  onBatch?: (done: number, total: number) => void;
  /** Checked between batches; when true, extraction stops with an ExtractionCancelled error. */
  isCancelled?: () => boolean;
}

export class ExtractionCancelled extends Error {
  constructor() {
    super('feature extraction cancelled');
    this.name = 'ExtractionCancelled';
  }
}

export interface FeatureExtractor {
  readonly name: FeatureExtractorName;
  /** Score names for the Fréchet distance and KID on these features. */
  readonly metrics: { fd: MetricName; kid: MetricName };
  /** How images are brought to the network's input size, e.g. 'bilinear-224'. */
  readonly resize: string;
  readonly dim: number;
  extract(images: RgbImages, options?: ExtractOptions): Promise<FeatureMatrix & { data: Float32Array }>;
  dispose(): void;
}

export const DEFAULT_BATCH_SIZE = 8;

/**
 * Runs `model` over the images in batches. `preprocess` gets a float32 [b, size, size, 3] RGB
 * batch in 0..255, already resized (bilinear, half-pixel centres as tf.image.resize in TF2).
 */
export async function extractPooledFeatures(
  model: tf.LayersModel,
  inputSize: number,
  preprocess: (rgb255: tf.Tensor4D) => tf.Tensor4D,
  images: RgbImages,
  options: ExtractOptions = {},
): Promise<Float32Array> {
  const { count, height, width, pixels } = images;
  if (pixels.length !== count * height * width * 3) {
    throw new Error(`images: pixels has ${pixels.length} values, expected count*height*width*3 = ${count * height * width * 3}`);
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const dim = (model.outputs[0].shape as number[])[1];
  const out = new Float32Array(count * dim);
  const per = height * width * 3;
  for (let start = 0; start < count; start += batchSize) {
    if (options.isCancelled?.()) throw new ExtractionCancelled();
    const b = Math.min(batchSize, count - start);
    const features = tf.tidy(() => {
      const rgb = tf.tensor4d(Float32Array.from(pixels.subarray(start * per, (start + b) * per)), [b, height, width, 3]);
      const resized = height === inputSize && width === inputSize ? rgb : tf.image.resizeBilinear(rgb, [inputSize, inputSize], false, true);
      return model.predict(preprocess(resized)) as tf.Tensor2D;
    });
    out.set(await features.data(), start * dim);
    features.dispose();
    options.onBatch?.(start + b, count);
    // A worker receives messages (a cancel request) only between macrotasks: yield one.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/** A FeatureExtractor whose features are `model`'s pooled output on bilinearly resized, preprocessed images. */
export function pooledFeatureExtractor(spec: {
  name: FeatureExtractorName;
  metrics: FeatureExtractor['metrics'];
  model: tf.LayersModel;
  inputSize: number;
  preprocess: (rgb255: tf.Tensor4D) => tf.Tensor4D;
  /** Frees the weights; defaults to disposing `model`. */
  dispose?: () => void;
}): FeatureExtractor {
  const { model, inputSize, preprocess } = spec;
  const dim = (model.outputs[0].shape as number[])[1];
  return {
    name: spec.name,
    metrics: spec.metrics,
    resize: `bilinear-${inputSize}`,
    dim,
    async extract(images, options) {
      const data = await extractPooledFeatures(model, inputSize, preprocess, images, options);
      return { data, rows: images.count, cols: dim };
    },
    dispose: spec.dispose ?? (() => model.dispose()),
  };
}
