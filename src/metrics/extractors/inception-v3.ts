// The true FID feature extractor: Keras' InceptionV3 (include_top=False, pooling='avg'), 2048-d,
// built here with tf.layers in the same layer order as keras.applications.inception_v3. No ImageNet
// weights for it are reachable offline (shared/models/README.md), so they are read from a folder the
// user provides: a TF.js layers model converted from Keras, e.g.
//   python -c "import tensorflow as tf; tf.keras.applications.InceptionV3(include_top=False, pooling='avg').save('iv3.h5')"
//   tensorflowjs_converter --input_format keras --output_format tfjs_layers_model iv3.h5 DIR
// That model is loaded as it is (training/model-files.ts) and its weights are copied into our network,
// matched by layer kind and creation order (Keras numbers its auto-named layers conv2d, conv2d_1, ...
// or conv2d_1, conv2d_2, ... depending on version), with shape checks.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, MODEL_JSON } from '../../training/model-files.js';
import { pooledFeatureExtractor, type FeatureExtractor } from './feature-extractor.js';

export const INCEPTION_INPUT_SIZE = 299;
/** Smallest input keras.applications accepts for InceptionV3. */
export const INCEPTION_MIN_INPUT_SIZE = 75;

type Sym = tf.SymbolicTensor;

class InceptionBuilder {
  private convs = 0;

  /** Conv (no bias) + BatchNorm (no scale, epsilon 1e-3) + ReLU, Keras' conv2d_bn. */
  convBn(x: Sym, filters: number, rows: number, cols: number, strides = 1, padding: 'same' | 'valid' = 'same'): Sym {
    const i = ++this.convs;
    const conv = tf.layers.conv2d({ name: `conv2d_${i}`, filters, kernelSize: [rows, cols], strides, padding, useBias: false });
    const bn = tf.layers.batchNormalization({ name: `batch_normalization_${i}`, axis: 3, scale: false, epsilon: 1e-3 });
    const relu = tf.layers.activation({ name: `activation_${i}`, activation: 'relu' });
    return relu.apply(bn.apply(conv.apply(x))) as Sym;
  }

  maxPool(x: Sym): Sym {
    return tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid' }).apply(x) as Sym;
  }

  avgPoolSame(x: Sym): Sym {
    return tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x) as Sym;
  }

  concat(xs: Sym[], name?: string): Sym {
    return tf.layers.concatenate({ axis: 3, name }).apply(xs) as Sym;
  }

  /** mixed0-2: 35x35 blocks. */
  blockA(x: Sym, poolFilters: number, name: string): Sym {
    const b1 = this.convBn(x, 64, 1, 1);
    let b5 = this.convBn(x, 48, 1, 1);
    b5 = this.convBn(b5, 64, 5, 5);
    let b3 = this.convBn(x, 64, 1, 1);
    b3 = this.convBn(b3, 96, 3, 3);
    b3 = this.convBn(b3, 96, 3, 3);
    const bp = this.convBn(this.avgPoolSame(x), poolFilters, 1, 1);
    return this.concat([b1, b5, b3, bp], name);
  }

  /** mixed3: reduction to 17x17. */
  reductionA(x: Sym): Sym {
    const b3 = this.convBn(x, 384, 3, 3, 2, 'valid');
    let bd = this.convBn(x, 64, 1, 1);
    bd = this.convBn(bd, 96, 3, 3);
    bd = this.convBn(bd, 96, 3, 3, 2, 'valid');
    return this.concat([b3, bd, this.maxPool(x)], 'mixed3');
  }

  /** mixed4-7: 17x17 blocks with factorised 7x7 convolutions of width c. */
  blockB(x: Sym, c: number, name: string): Sym {
    const b1 = this.convBn(x, 192, 1, 1);
    let b7 = this.convBn(x, c, 1, 1);
    b7 = this.convBn(b7, c, 1, 7);
    b7 = this.convBn(b7, 192, 7, 1);
    let bd = this.convBn(x, c, 1, 1);
    bd = this.convBn(bd, c, 7, 1);
    bd = this.convBn(bd, c, 1, 7);
    bd = this.convBn(bd, c, 7, 1);
    bd = this.convBn(bd, 192, 1, 7);
    const bp = this.convBn(this.avgPoolSame(x), 192, 1, 1);
    return this.concat([b1, b7, bd, bp], name);
  }

  /** mixed8: reduction to 8x8. */
  reductionB(x: Sym): Sym {
    let b3 = this.convBn(x, 192, 1, 1);
    b3 = this.convBn(b3, 320, 3, 3, 2, 'valid');
    let b7 = this.convBn(x, 192, 1, 1);
    b7 = this.convBn(b7, 192, 1, 7);
    b7 = this.convBn(b7, 192, 7, 1);
    b7 = this.convBn(b7, 192, 3, 3, 2, 'valid');
    return this.concat([b3, b7, this.maxPool(x)], 'mixed8');
  }

  /** mixed9-10: 8x8 blocks with split 1x3/3x1 branches. */
  blockC(x: Sym, index: number): Sym {
    const b1 = this.convBn(x, 320, 1, 1);
    const b3 = this.convBn(x, 384, 1, 1);
    const b3s = this.concat([this.convBn(b3, 384, 1, 3), this.convBn(b3, 384, 3, 1)], `mixed9_${index}`);
    let bd = this.convBn(x, 448, 1, 1);
    bd = this.convBn(bd, 384, 3, 3);
    const bds = this.concat([this.convBn(bd, 384, 1, 3), this.convBn(bd, 384, 3, 1)]);
    const bp = this.convBn(this.avgPoolSame(x), 192, 1, 1);
    return this.concat([b1, b3s, bds, bp], `mixed${9 + index}`);
  }
}

/** Keras InceptionV3(include_top=False, pooling='avg') on [N, size, size, 3] inputs in [-1, 1]. */
export function buildInceptionV3(inputSize: number = INCEPTION_INPUT_SIZE): tf.LayersModel {
  if (!Number.isInteger(inputSize) || inputSize < INCEPTION_MIN_INPUT_SIZE) {
    throw new Error(`InceptionV3 input size must be an integer >= ${INCEPTION_MIN_INPUT_SIZE}, got ${inputSize}`);
  }
  const b = new InceptionBuilder();
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: 'input_1' });
  let x = b.convBn(input, 32, 3, 3, 2, 'valid');
  x = b.convBn(x, 32, 3, 3, 1, 'valid');
  x = b.convBn(x, 64, 3, 3);
  x = b.maxPool(x);
  x = b.convBn(x, 80, 1, 1, 1, 'valid');
  x = b.convBn(x, 192, 3, 3, 1, 'valid');
  x = b.maxPool(x);
  x = b.blockA(x, 32, 'mixed0');
  x = b.blockA(x, 64, 'mixed1');
  x = b.blockA(x, 64, 'mixed2');
  x = b.reductionA(x);
  x = b.blockB(x, 128, 'mixed4');
  x = b.blockB(x, 160, 'mixed5');
  x = b.blockB(x, 160, 'mixed6');
  x = b.blockB(x, 192, 'mixed7');
  x = b.reductionB(x);
  x = b.blockC(x, 0);
  x = b.blockC(x, 1);
  const pooled = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as Sym;
  return tf.model({ inputs: input, outputs: pooled, name: 'inception_v3' });
}

const WEIGHT_NAME = /(?:^|\/)(conv2d|batch_normalization)(?:_(\d+))?\/(kernel|beta|moving_mean|moving_variance)(?:_\d+)?$/;

export function inceptionWeightsHelp(dir: string | null): string {
  return (
    `InceptionV3 weights are needed for the 'inception-v3' extractor (true FID) but ${dir === null ? 'no inceptionWeightsDir was given' : `none were found in ${dir}`}. ` +
    `No ImageNet InceptionV3 weights are available offline. Make them where Keras can download them: ` +
    `tf.keras.applications.InceptionV3(include_top=False, pooling='avg').save('iv3.h5'), then ` +
    `tensorflowjs_converter --input_format keras --output_format tfjs_layers_model iv3.h5 DIR, and pass DIR as inceptionWeightsDir. ` +
    `Or use the offline extractor 'resnet50-imagenet' (scores FD-ResNet50 / KID-ResNet50, not comparable with FID).`
  );
}

/** Reads the weights of a Keras InceptionV3 TF.js layers model in dir into a freshly built network. */
export async function loadInceptionV3Weights(dir: string, inputSize: number = INCEPTION_INPUT_SIZE): Promise<tf.LayersModel> {
  const jsonPath = join(dir, MODEL_JSON);
  if (!existsSync(jsonPath)) throw new Error(inceptionWeightsHelp(dir));
  const format = (JSON.parse(readFileSync(jsonPath, 'utf8')) as { format?: string }).format;
  if (format === 'graph-model') throw new Error(`${jsonPath} is a TF.js graph model; convert with --output_format tfjs_layers_model`);
  const saved = await loadModel(dir);
  const model = buildInceptionV3(inputSize);
  try {
    // Group the saved weights by layer kind and number: groups[kind][n] = { kernel | beta | moving_* }.
    const groups = { conv2d: new Map<number, Record<string, tf.Tensor>>(), batch_normalization: new Map<number, Record<string, tf.Tensor>>() };
    for (const w of saved.weights) {
      const m = WEIGHT_NAME.exec(w.originalName);
      if (!m) continue;
      const kind = m[1] as keyof typeof groups;
      const n = m[2] === undefined ? 0 : Number(m[2]);
      const entry = groups[kind].get(n) ?? {};
      entry[m[3]] = w.read();
      groups[kind].set(n, entry);
    }
    const ordered = (kind: keyof typeof groups): Record<string, tf.Tensor>[] =>
      [...groups[kind].entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    const convs = ordered('conv2d');
    const bns = ordered('batch_normalization');

    // model.layers is in topological order, not creation order: sort by the number in our names.
    const byCreation = (className: string): tf.layers.Layer[] =>
      model.layers
        .filter((l) => l.getClassName() === className)
        .sort((a, b) => Number(a.name.split('_').pop()) - Number(b.name.split('_').pop()));
    const convLayers = byCreation('Conv2D');
    const bnLayers = byCreation('BatchNormalization');
    if (convs.length !== convLayers.length || bns.length !== bnLayers.length) {
      throw new Error(
        `${dir} does not hold Keras InceptionV3 weights: expected ${convLayers.length} conv2d and ${bnLayers.length} batch_normalization layers, found ${convs.length} and ${bns.length}`,
      );
    }
    const setLayer = (layer: tf.layers.Layer, weights: Record<string, tf.Tensor>, keys: string[]): void => {
      const values = keys.map((k) => {
        const w = weights[k];
        if (!w) throw new Error(`${dir}: weight '${k}' missing for layer ${layer.name}`);
        return w;
      });
      const expected = layer.getWeights().map((w) => w.shape.join('x'));
      const got = values.map((w) => w.shape.join('x'));
      if (expected.join() !== got.join()) throw new Error(`${dir}: shapes for layer ${layer.name} are ${got.join(', ')}, expected ${expected.join(', ')}`);
      layer.setWeights(values);
    };
    convLayers.forEach((l, i) => setLayer(l, convs[i], ['kernel']));
    bnLayers.forEach((l, i) => setLayer(l, bns[i], ['beta', 'moving_mean', 'moving_variance']));
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    saved.dispose();
  }
  return model;
}

/** Keras "tf" preprocessing: x / 127.5 - 1. */
function inceptionPreprocess(rgb255: tf.Tensor4D): tf.Tensor4D {
  return tf.sub(tf.div(rgb255, 127.5), 1);
}

export async function loadInceptionV3Extractor(weightsDir: string | null, inputSize: number = INCEPTION_INPUT_SIZE): Promise<FeatureExtractor> {
  if (weightsDir === null) throw new Error(inceptionWeightsHelp(null));
  const model = await loadInceptionV3Weights(weightsDir, inputSize);
  return pooledFeatureExtractor({ name: 'inception-v3', metrics: { fd: 'FID', kid: 'KID' }, model, inputSize, preprocess: inceptionPreprocess });
}
