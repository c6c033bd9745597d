// The offline feature extractor on real 256x256 apple2orange photos (wasm backend).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { FeatureExtractor, RgbImages } from '../src/metrics/extractors/feature-extractor.js';
import { loadResnet50Extractor } from '../src/metrics/extractors/resnet50.js';
import { frechetDistance } from '../src/metrics/frechet.js';
import { kernelInceptionDistance } from '../src/metrics/kid.js';
import { resnet50ModelDir, sharedDir } from '../src/paths.js';
import { initBackend } from '../src/training/backend.js';
import { loadModel } from '../src/training/model-files.js';

const FULL = join(sharedDir(), 'data', 'apple2orange', 'full');
const PER_SET = 20;
/** ImageNet class 950 is 'orange'. */
const IMAGENET_ORANGE = 950;

async function decodeFirst(split: string, count: number): Promise<RgbImages> {
  const files = readdirSync(join(FULL, split)).sort().slice(0, count);
  const frames: Buffer[] = [];
  for (const f of files) {
    const { data, info } = await sharp(join(FULL, split, f)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [256, 256, 3], f);
    frames.push(data);
  }
  return { pixels: new Uint8Array(Buffer.concat(frames)), count, height: 256, width: 256 };
}

let extractor: FeatureExtractor;
before(async () => {
  await initBackend('wasm');
  extractor = await loadResnet50Extractor();
});

test('ResNet50 extractor loads offline and describes its scores', () => {
  assert.equal(extractor.name, 'resnet50-imagenet');
  assert.equal(extractor.dim, 2048);
  assert.equal(extractor.resize, 'bilinear-224');
  assert.deepEqual(extractor.metrics, { fd: 'FD-ResNet50', kid: 'KID-ResNet50' });
});

test('ResNet50 features rank apples closer to apples than to oranges; oranges are ImageNet oranges', async () => {
  const [testA, trainA, trainB] = [await decodeFirst('testA', PER_SET), await decodeFirst('trainA', PER_SET), await decodeFirst('trainB', PER_SET)];
  let batches = 0;
  const fTestA = await extractor.extract(testA, { onBatch: () => batches++ });
  assert.equal(batches, Math.ceil(PER_SET / 8));
  const fTrainA = await extractor.extract(trainA);
  const fTrainB = await extractor.extract(trainB);
  assert.equal(fTestA.cols, 2048);
  assert.equal(fTestA.rows, PER_SET);
  assert.ok(fTestA.data.every((v) => Number.isFinite(v) && v >= 0), 'avg_pool follows a ReLU');

  const same = frechetDistance(fTestA, fTrainA);
  const other = frechetDistance(fTestA, fTrainB);
  assert.match(same.warning ?? '', /fewer samples than feature dimensions/);
  assert.ok(same.value < other.value, `FD(apples test, apples train) ${same.value} < FD(apples test, oranges train) ${other.value}`);
  const kidOptions = { subsetSize: PER_SET, subsets: 20, seed: 1 };
  const kidSame = kernelInceptionDistance(fTestA, fTrainA, kidOptions);
  const kidOther = kernelInceptionDistance(fTestA, fTrainB, kidOptions);
  assert.ok(kidSame.value < kidOther.value, `KID ${kidSame.value} < ${kidOther.value}`);
  console.log(`FD-ResNet50 apples/apples ${same.value.toFixed(1)}, apples/oranges ${other.value.toFixed(1)}; KID ${kidSame.value.toFixed(4)} vs ${kidOther.value.toFixed(4)}`);

  // The network's own classifier on our features checks weights and caffe preprocessing end to end:
  // with channels in the wrong order or no mean subtraction most oranges are not class 950.
  const full = await loadModel(resnet50ModelDir());
  const classes = tf.tidy(() => (full.getLayer('fc1000').apply(tf.tensor2d(fTrainB.data, [PER_SET, 2048])) as tf.Tensor).argMax(-1).dataSync());
  full.dispose();
  const oranges = Array.from(classes).filter((c) => c === IMAGENET_ORANGE).length;
  assert.ok(oranges >= PER_SET / 2, `${oranges} of ${PER_SET} orange photos classified as ImageNet 'orange'`);
});

test('ResNet50 features do not depend on the batch an image is in', async () => {
  const images = await decodeFirst('testB', 3);
  const batched = await extractor.extract(images, { batchSize: 3 });
  const single = await extractor.extract(images, { batchSize: 1 });
  let maxDiff = 0;
  for (let i = 0; i < batched.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(batched.data[i] - single.data[i]));
  assert.ok(maxDiff < 1e-4, `max difference ${maxDiff}`);
});

test('feature extraction stops between batches when cancelled', async () => {
  const images = await decodeFirst('testB', 3);
  let calls = 0;
  await assert.rejects(
    extractor.extract(images, { batchSize: 1, isCancelled: () => calls++ >= 1 }),
    /feature extraction cancelled/,
  );
  assert.equal(calls, 2);
});
