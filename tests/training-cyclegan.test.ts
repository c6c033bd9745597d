// CycleGAN training loop on tiny real images: determinism, flat memory, AE initialisation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/training/backend.js';
import { pretrainConfig } from '../src/training/configs.js';
import { CycleGanTrainer } from '../src/training/cyclegan-trainer.js';
import { latestCheckpoint, loadGeneratorFromCheckpoint } from '../src/training/checkpoint.js';
import { imagesToTensor, loadDomainImages } from '../src/training/data.js';
import { recordingContext } from '../src/training/recording-context.js';
import { runInThread } from '../src/training/run.js';
import type { CycleGanConfig, WorkerInput } from '../src/training/protocol.js';
import { bundledDatasetRoot } from '../src/paths.js';
import { tinyCycleGanConfig } from './helpers/tiny-cyclegan-config.js';

const dataset = { id: 'a2o', name: 'apple2orange-32', root: bundledDatasetRoot() };
const tiny = (overrides: Partial<CycleGanConfig> = {}): CycleGanConfig => tinyCycleGanConfig(dataset, { maxTrainImages: 4, seed: 7, ...overrides });

let scratch: string;
before(async () => {
  await initBackend('wasm');
  scratch = mkdtempSync(join(tmpdir(), 'lab-cyclegan-test-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

const input = (config: WorkerInput['config'], name: string, resumeFrom: string | null = null): WorkerInput => ({
  runId: name,
  config,
  backend: 'wasm',
  runDir: join(scratch, name),
  resumeFrom,
});

test('same seed, same backend: the same losses, SSIM and weights', async () => {
  const runs = [];
  for (const name of ['det-1', 'det-2']) {
    const ctx = recordingContext(input(tiny(), name), 'wasm');
    await runInThread(ctx);
    runs.push(ctx);
  }
  const [a, b] = runs.map((ctx) => ctx.ofType('epoch'));
  assert.equal(a.length, 2);
  assert.deepEqual(Object.keys(a[0].losses), ['D_A', 'G_A', 'cycle_A', 'idt_A', 'D_B', 'G_B', 'cycle_B', 'idt_B']);
  assert.deepEqual(Object.keys(a[0].ssim ?? {}), ['real_vs_fake_A', 'real_vs_rec_A', 'real_vs_fake_B', 'real_vs_rec_B']);
  assert.deepEqual(a.map((e) => [e.losses, e.ssim, e.lr]), b.map((e) => [e.losses, e.ssim, e.lr]));
  assert.deepEqual(a.map((e) => e.lr), [2e-4, 1e-4]);
  for (const net of ['gAB', 'gBA', 'dA', 'dB']) {
    const weights = ['det-1', 'det-2'].map((name) => readFileSync(join(latestCheckpoint(join(scratch, name))!, net, 'weights.bin')));
    assert.ok(weights[0].equals(weights[1]), `${net} weights differ`);
  }
  // A different seed trains differently.
  const other = recordingContext(input(tiny({ seed: 8, epochsDecay: 0 }), 'det-3'), 'wasm');
  await runInThread(other);
  assert.notDeepEqual(other.ofType('epoch')[0].losses, a[0].losses);
});

test('tensor count stays flat across iterations once the image pools are full', async () => {
  const ctx = recordingContext(input(tiny({ maxTrainImages: 8 }), 'memory'), 'wasm');
  const trainer = await CycleGanTrainer.create(ctx);
  try {
    trainer.startEpoch(1);
    for (let i = 0; i < 3; i++) trainer.trainIteration();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) trainer.trainIteration();
    assert.equal(tf.memory().numTensors, before);
  } finally {
    trainer.dispose();
  }
});

test('a generator initialised from a finished AE computes exactly what it computed inside the AE', async () => {
  const ae = pretrainConfig(dataset, { imageSize: 16, generator: { ngf: 4, nBlocks: 1 }, latentSize: 4, maxTrainImages: 4, epochs: 1, learningRate: 1e-3, ssimImages: 0, sampleImages: 0, checkpointEvery: 1, domain: 'B' });
  await runInThread(recordingContext(input(ae, 'ae-B'), 'wasm'));
  const checkpointDir = latestCheckpoint(join(scratch, 'ae-B'))!;
  const inside = await loadGeneratorFromCheckpoint(checkpointDir, 'generator');
  const config = tiny({ init: { gAB: { type: 'pretrained', runId: 'ae-B', checkpointDir }, gBA: { type: 'random' } } });
  const trainer = await CycleGanTrainer.create(recordingContext(input(config, 'from-ae'), 'wasm'));
  try {
    const images = await loadDomainImages(dataset.root, 'testA', 16, { maxImages: 3 });
    const [transferred, original, untouched] = tf.tidy(() => {
      const x = imagesToTensor(images, [0, 1, 2]);
      return [trainer.nets.gAB.predict(x), inside.predict(x), trainer.nets.gBA.predict(x)].map((t) => (t as tf.Tensor).dataSync());
    });
    assert.deepEqual(transferred, original);
    assert.notDeepEqual(untouched, original, 'gBA was random-initialised, it must not match');
  } finally {
    trainer.dispose();
    inside.dispose();
  }
  const wrongArch = tiny({ generator: { ngf: 8, nBlocks: 1 }, init: { gAB: { type: 'random' }, gBA: { type: 'pretrained', runId: 'ae-B', checkpointDir } } });
  await assert.rejects(
    CycleGanTrainer.create(recordingContext(input(wrongArch, 'wrong-arch'), 'wasm')),
    /initialising gBA from run ae-B .*'c7s1_in\/kernel' has shape \[7,7,3,4\] in the source but \[7,7,3,8\]/,
  );
});
