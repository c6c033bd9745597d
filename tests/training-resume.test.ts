// Checkpoints and exact resume: 2 epochs straight = 1 epoch, stop, resume, 1 epoch.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/training/backend.js';
import { pretrainConfig } from '../src/training/configs.js';
import { latestCheckpoint, loadGeneratorFromCheckpoint, readCheckpointState } from '../src/training/checkpoint.js';
import { recordingContext } from '../src/training/recording-context.js';
import { runInThread } from '../src/training/run.js';
import type { RunConfig, WorkerMessage } from '../src/training/protocol.js';
import { bundledDatasetRoot } from '../src/paths.js';
import { tinyCycleGanConfig } from './helpers/tiny-cyclegan-config.js';

const dataset = { id: 'a2o', name: 'apple2orange-32', root: bundledDatasetRoot() };
let scratch: string;
before(async () => {
  await initBackend('wasm');
  scratch = mkdtempSync(join(tmpdir(), 'lab-resume-test-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

const floats = (file: string): Float32Array => new Float32Array(new Uint8Array(readFileSync(file)).buffer);

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Runs `config` once straight, and once stopped after epoch 1 then resumed; returns both run folders and messages. */
async function straightAndResumed(config: RunConfig, name: string) {
  const straightDir = join(scratch, `${name}-straight`);
  const straight = recordingContext({ runId: name, config, backend: 'wasm', runDir: straightDir, resumeFrom: null }, 'wasm');
  await runInThread(straight);

  const resumedDir = join(scratch, `${name}-resumed`);
  const first = recordingContext({ runId: name, config, backend: 'wasm', runDir: resumedDir, resumeFrom: null }, 'wasm', (m: WorkerMessage) => {
    if (m.type === 'checkpoint' && m.epoch === 1) first.cancel();
  });
  await runInThread(first);
  assert.equal(first.messages.at(-1)?.type, 'cancelled');
  const resumeFrom = latestCheckpoint(resumedDir);
  assert.equal(resumeFrom, join(resumedDir, 'checkpoints', 'epoch-0001'));
  const second = recordingContext({ runId: name, config, backend: 'wasm', runDir: resumedDir, resumeFrom }, 'wasm');
  await runInThread(second);
  assert.deepEqual(second.ofType('started')[0], { type: 'started', backend: 'wasm', epochsTotal: 2, iterationsPerEpoch: 4, resumedAtEpoch: 1 });
  return { straightDir, resumedDir, straight, first, second };
}

test('CycleGAN: 1 epoch + checkpoint + resume + 1 epoch equals 2 epochs straight', async () => {
  const config = tinyCycleGanConfig(dataset, { maxTrainImages: 4, poolSize: 3, seed: 3 });
  const { straightDir, resumedDir, straight, first, second } = await straightAndResumed(config, 'cyclegan');
  const epochs = straight.ofType('epoch');
  assert.deepEqual(first.ofType('epoch')[0].losses, epochs[0].losses);
  assert.deepEqual(second.ofType('epoch').map((e) => e.epoch), [2]);
  assert.deepEqual(second.ofType('epoch')[0].losses, epochs[1].losses);
  assert.deepEqual(second.ofType('epoch')[0].ssim, epochs[1].ssim);

  const a = join(straightDir, 'checkpoints', 'epoch-0002');
  const b = join(resumedDir, 'checkpoints', 'epoch-0002');
  let worst = 0;
  for (const net of ['gAB', 'gBA', 'dA', 'dB']) worst = Math.max(worst, maxAbsDiff(floats(join(a, net, 'weights.bin')), floats(join(b, net, 'weights.bin'))));
  for (const file of ['optimizer-g.bin', 'optimizer-d.bin', 'pool-A.bin', 'pool-B.bin']) worst = Math.max(worst, maxAbsDiff(floats(join(a, file)), floats(join(b, file))));
  assert.ok(worst <= 1e-6, `largest weight difference ${worst}`);
  const [sa, sb] = [readCheckpointState(a), readCheckpointState(b)];
  assert.deepEqual([sb.epoch, sb.step, sb.rng], [sa.epoch, sa.step, sa.rng]);
  console.log(`CycleGAN resume: largest difference over weights, Adam moments and pools = ${worst}`);
});

test('VAE: resume continues exactly, and KL, its weight and the reconstruction loss are recorded per epoch', async () => {
  const config = pretrainConfig(dataset, {
    kind: 'VAE',
    vae: { klWeight: 0.01, klWarmupEpochs: 1, freeBits: 0.01 },
    imageSize: 16,
    generator: { ngf: 4, nBlocks: 1 },
    latentSize: 4,
    maxTrainImages: 4,
    epochs: 2,
    learningRate: 1e-3,
    ssimImages: 2,
    sampleImages: 1,
    checkpointEvery: 1,
    domain: 'A',
  });
  const { straightDir, resumedDir, straight, second } = await straightAndResumed(config, 'vae');
  const epochs = straight.ofType('epoch');
  assert.deepEqual(Object.keys(epochs[0].losses).sort(), ['kl', 'kl_weight', 'rec']);
  assert.deepEqual(epochs.map((e) => e.losses.kl_weight), [0, 0.01]);
  assert.ok(epochs.every((e) => e.losses.kl > 0 && Number.isFinite(e.losses.rec)));
  assert.deepEqual(Object.keys(epochs[0].ssim ?? {}), ['real_vs_rec']);
  assert.deepEqual(second.ofType('epoch')[0].losses, epochs[1].losses);
  for (const net of ['encoder', 'decoder', 'generator']) {
    const d = maxAbsDiff(
      floats(join(straightDir, 'checkpoints', 'epoch-0002', net, 'weights.bin')),
      floats(join(resumedDir, 'checkpoints', 'epoch-0002', net, 'weights.bin')),
    );
    assert.ok(d <= 1e-6, `${net}: ${d}`);
  }
});

test('a checkpoint is complete TF.js artifacts plus state, and a half-written one is never picked', async () => {
  const runDir = join(scratch, 'cyclegan-straight');
  const dir = latestCheckpoint(runDir)!;
  assert.deepEqual(readdirSync(dir).sort(), ['dA', 'dB', 'gAB', 'gBA', 'optimizer-d.bin', 'optimizer-g.bin', 'pool-A.bin', 'pool-B.bin', 'state.json']);
  assert.deepEqual(readdirSync(join(dir, 'gAB')).sort(), ['model.json', 'weights.bin']);
  const modelJson = JSON.parse(readFileSync(join(dir, 'gAB', 'model.json'), 'utf8'));
  assert.equal(modelJson.format, 'layers-model');
  const g = await loadGeneratorFromCheckpoint(dir, 'gAB');
  const y = g.predict(tf.zeros([1, 16, 16, 3])) as tf.Tensor;
  assert.deepEqual(y.shape, [1, 16, 16, 3]);
  tf.dispose([y]);
  g.dispose();
  await assert.rejects(loadGeneratorFromCheckpoint(dir, 'generator'), /has no network 'generator'; it has gAB, gBA, dA, dB/);
  // What a kill during a write leaves: a hidden temp folder and an epoch folder without state.json.
  mkdirSync(join(runDir, 'checkpoints', '.epoch-0003.tmp-1-2', 'gAB'), { recursive: true });
  mkdirSync(join(runDir, 'checkpoints', 'epoch-0004', 'gAB'), { recursive: true });
  assert.equal(latestCheckpoint(runDir), dir);
  assert.equal(latestCheckpoint(join(scratch, 'nothing-here')), null);
  assert.ok(!existsSync(join(runDir, 'checkpoints', '.epoch-0002.tmp')), 'no temp folder left after a normal write');
  assert.deepEqual(readdirSync(join(runDir, 'checkpoints')).filter((f) => f.includes('.tmp') && !f.startsWith('.epoch-0003')), []);
});
