// InceptionV3 (true FID) feature extractor: Keras architecture and the weight-loading path, with
// weights we generate and save ourselves (no ImageNet InceptionV3 weights exist offline).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  buildInceptionV3,
  INCEPTION_MIN_INPUT_SIZE,
  loadInceptionV3Extractor,
} from '../src/metrics/extractors/inception-v3.js';
import { initBackend } from '../src/training/backend.js';
import { saveModel } from '../src/training/model-files.js';
import { Rng } from '../src/training/rng.js';

/** keras.applications.InceptionV3(include_top=False, pooling='avg').count_params() */
const KERAS_PARAMS = 21_802_784;
const KERAS_TRAINABLE_PARAMS = 21_768_352;
const SMALL = INCEPTION_MIN_INPUT_SIZE;

let work: string;
before(async () => {
  await initBackend('wasm');
  work = mkdtempSync(join(tmpdir(), 'metrics-inception-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

const sizeOf = (ws: tf.LayerVariable[]): number => ws.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);

test('InceptionV3 has the Keras architecture: 2048-d output at 299x299, Keras parameter counts', () => {
  const model = buildInceptionV3();
  try {
    assert.deepEqual(model.inputs[0].shape, [null, 299, 299, 3]);
    assert.deepEqual(model.outputs[0].shape, [null, 2048]);
    assert.equal(model.countParams(), KERAS_PARAMS);
    assert.equal(sizeOf(model.trainableWeights), KERAS_TRAINABLE_PARAMS);
    assert.equal(model.layers.filter((l) => l.getClassName() === 'Conv2D').length, 94);
    for (const name of ['mixed0', 'mixed3', 'mixed7', 'mixed8', 'mixed10']) assert.ok(model.getLayer(name));
    assert.deepEqual(model.getLayer('mixed7').outputShape, [null, 17, 17, 768]);
    assert.deepEqual(model.getLayer('mixed10').outputShape, [null, 8, 8, 2048]);
    const y = tf.tidy(() => model.predict(tf.randomUniform([1, 299, 299, 3], -1, 1, 'float32', 3)) as tf.Tensor);
    assert.deepEqual(y.shape, [1, 2048]);
    y.dispose();
  } finally {
    model.dispose();
  }
  assert.throws(() => buildInceptionV3(74), /input size must be an integer >= 75/);
});

test('inception-v3 without weights explains how to provide them', async () => {
  await assert.rejects(loadInceptionV3Extractor(null), /no inceptionWeightsDir was given.*InceptionV3\(include_top=False, pooling='avg'\).*tensorflowjs_converter.*resnet50-imagenet/);
  await assert.rejects(loadInceptionV3Extractor(join(work, 'absent')), /none were found in .*absent.*tensorflowjs_converter/);
});

/** Renames conv2d_N / batch_normalization_N to tf.keras 2.x style (conv2d, conv2d_1, ...) everywhere in model.json. */
function renumberLikeTfKeras(dir: string): void {
  const path = join(dir, 'model.json');
  const text = readFileSync(path, 'utf8').replace(/\b(conv2d|batch_normalization)_(\d+)\b/g, (_, kind: string, n: string) =>
    n === '1' ? kind : `${kind}_${Number(n) - 1}`,
  );
  writeFileSync(path, text);
}

/** Saves a model into a new folder. */
async function saveTo(model: tf.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await saveModel(model, dir);
}

test('inception-v3 loads saved Keras-named weights and reproduces the saving network', async () => {
  const source = buildInceptionV3(SMALL);
  // Non-default batch-norm statistics, so a mix-up of weights would show in the output.
  const rng = new Rng(9);
  for (const layer of source.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
    const n = layer.getWeights()[0].shape[0];
    const values = (lo: number, hi: number): tf.Tensor => tf.tensor1d(Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform()));
    const fresh = [values(-0.1, 0.1), values(-0.2, 0.2), values(0.5, 1.5)];
    layer.setWeights(fresh);
    fresh.forEach((t) => t.dispose());
  }
  const dir = join(work, 'weights');
  await saveTo(source, dir);

  const pixels = new Uint8Array(2 * 32 * 32 * 3).map(() => Math.floor(256 * rng.uniform()));
  const images = { pixels, count: 2, height: 32, width: 32 };
  const expected = tf.tidy(() => {
    const x = tf.image.resizeBilinear(tf.tensor4d(Float32Array.from(pixels), [2, 32, 32, 3]), [SMALL, SMALL], false, true);
    return (source.predict(x.div(127.5).sub(1)) as tf.Tensor).dataSync();
  });
  source.dispose();

  for (const naming of ['keras 2.2 (conv2d_1..94)', 'tf.keras 2.x (conv2d, conv2d_1..93)']) {
    if (naming.startsWith('tf.keras')) renumberLikeTfKeras(dir);
    const extractor = await loadInceptionV3Extractor(dir, SMALL);
    try {
      assert.equal(extractor.name, 'inception-v3');
      assert.deepEqual(extractor.metrics, { fd: 'FID', kid: 'KID' });
      assert.equal(extractor.resize, `bilinear-${SMALL}`);
      const features = await extractor.extract(images);
      assert.deepEqual([features.rows, features.cols], [2, 2048]);
      let maxDiff = 0;
      features.data.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - expected[i]))));
      assert.ok(maxDiff < 1e-4, `${naming}: max difference ${maxDiff}`);
    } finally {
      extractor.dispose();
    }
  }
});

test('inception-v3 rejects weights of another network with a clear error', async () => {
  const dir = join(work, 'other');
  const other = tf.sequential({ layers: [tf.layers.conv2d({ name: 'conv2d_1', inputShape: [8, 8, 3], filters: 4, kernelSize: 3, useBias: false })] });
  await saveTo(other, dir);
  other.dispose();
  await assert.rejects(loadInceptionV3Extractor(dir, SMALL), /does not hold Keras InceptionV3 weights: expected 94 conv2d and 94 batch_normalization layers, found 1 and 0/);
});
