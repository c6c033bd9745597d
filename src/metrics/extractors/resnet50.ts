// The offline default feature extractor: Keras' ImageNet ResNet50 (a TF.js layers model fetched
// from npm into vendor/), features = the 2048-d 'avg_pool' layer. Its Fréchet distance is not FID
// (different network): the scores are named FD-ResNet50 and KID-ResNet50.
import * as tf from '@tensorflow/tfjs';
import { resnet50ModelDir } from '../../paths.js';
import { loadModel } from '../../training/model-files.js';
import { pooledFeatureExtractor, type FeatureExtractor } from './feature-extractor.js';

const INPUT_SIZE = 224;
const FEATURE_LAYER = 'avg_pool';
/** Keras "caffe" preprocessing: ImageNet channel means in BGR order, no scaling. */
const BGR_MEAN = [103.939, 116.779, 123.68];

function caffePreprocess(rgb255: tf.Tensor4D): tf.Tensor4D {
  return tf.sub(tf.reverse(rgb255, -1), tf.tensor1d(BGR_MEAN));
}

export async function loadResnet50Extractor(modelDir: string = resnet50ModelDir()): Promise<FeatureExtractor> {
  let full: tf.LayersModel;
  try {
    full = await loadModel(modelDir);
  } catch (err) {
    throw new Error(`cannot load the ResNet50 model from ${modelDir} (run 'npm run postinstall' to fetch it): ${(err as Error).message}`);
  }
  const model = tf.model({ inputs: full.inputs, outputs: full.getLayer(FEATURE_LAYER).output });
  return pooledFeatureExtractor({
    name: 'resnet50-imagenet',
    metrics: { fd: 'FD-ResNet50', kid: 'KID-ResNet50' },
    model,
    inputSize: INPUT_SIZE,
    preprocess: caffePreprocess,
    dispose: () => full.dispose(),
  });
}
