// Real training on real images: a small CycleGAN on 64 apple/orange pairs must lower its
// cycle loss, and its translations must keep changing from epoch to epoch (the paper's
// models produced the same images every epoch and nobody noticed). Also: the AE learns.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { initBackend } from '../src/training/backend.js';
import { cycleGanConfig, pretrainConfig } from '../src/training/configs.js';
import { recordingContext } from '../src/training/recording-context.js';
import { runInThread } from '../src/training/run.js';
import { bundledDatasetRoot } from '../src/paths.js';

const dataset = { id: 'a2o', name: 'apple2orange-32', root: bundledDatasetRoot() };
let scratch: string;
before(async () => {
  await initBackend('wasm');
  scratch = mkdtempSync(join(tmpdir(), 'lab-learning-test-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

async function pixels(path: string): Promise<Uint8Array> {
  return new Uint8Array(await sharp(path).raw().toBuffer());
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

test('CycleGAN at ngf 16 on 64 apple2orange pairs lowers its cycle loss and its fakes change every epoch', async () => {
  // Batch 4 (the reference uses 1) buys 4x the images per second here; 4 epochs = 64 updates.
  const epochs = 4;
  const config = cycleGanConfig(dataset, {
    generator: { ngf: 16, nBlocks: 3 },
    discriminator: { ndf: 16, nLayers: 3 },
    maxTrainImages: 64,
    batchSize: 4,
    epochs,
    epochsDecay: 0,
    ssimImages: 8,
    sampleImages: 4,
    checkpointEvery: epochs,
    seed: 2024,
  });
  const ctx = recordingContext({ runId: 'learn', config, backend: 'wasm', runDir: join(scratch, 'learn'), resumeFrom: null }, 'wasm');
  const started = Date.now();
  await runInThread(ctx);
  const seconds = (Date.now() - started) / 1000;
  const log = ctx.ofType('epoch');
  assert.equal(log.length, epochs);
  const cycle = log.map((e) => e.losses.cycle_A + e.losses.cycle_B);
  // Iteration level: the first 8 updates against the last 8 of the 64.
  const perStep = new Map<number, number>();
  for (const p of ctx.ofType('metric_points').flatMap((m) => m.points)) {
    if (p.name === 'cycle_A' || p.name === 'cycle_B') perStep.set(p.step, (perStep.get(p.step) ?? 0) + p.value);
  }
  const steps = [...perStep.keys()].sort((a, b) => a - b);
  assert.equal(steps.length, epochs * 16);
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const early = mean(steps.slice(0, 8).map((s) => perStep.get(s)!));
  const late = mean(steps.slice(-8).map((s) => perStep.get(s)!));
  console.log(`cycle loss per epoch: ${cycle.map((c) => c.toFixed(3)).join(' -> ')}; first 8 updates ${early.toFixed(3)}, last 8 ${late.toFixed(3)} (${seconds.toFixed(0)} s)`);
  assert.ok(late < 0.9 * early, `cycle loss did not drop by 10%: first 8 updates ${early}, last 8 ${late}`);
  assert.ok(cycle[epochs - 1] < cycle[0], `epoch-average cycle loss did not drop: ${cycle.join(', ')}`);

  const fakes = ctx.ofType('sample').filter((s) => s.kind === 'fake');
  assert.equal(fakes.length, epochs * 2 * 4);
  for (let epoch = 2; epoch <= epochs; epoch++) {
    for (const s of fakes.filter((f) => f.epoch === epoch)) {
      const previous = fakes.find((f) => f.epoch === epoch - 1 && f.domain === s.domain && f.index === s.index)!;
      const change = meanAbsDiff(await pixels(previous.path), await pixels(s.path));
      assert.ok(change > 1, `fake ${s.domain}${s.index} barely changed from epoch ${epoch - 1} to ${epoch}: ${change.toFixed(2)} levels`);
    }
  }
  const ssim = log.map((e) => e.ssim!.real_vs_fake_A.mean);
  assert.equal(new Set(ssim).size, epochs, `SSIM real vs fake repeats across epochs: ${ssim.join(', ')}`);
});

test('the autoencoder lowers its reconstruction loss', async () => {
  const config = pretrainConfig(dataset, {
    generator: { ngf: 8, nBlocks: 1 },
    maxTrainImages: 16,
    batchSize: 4,
    epochs: 3,
    learningRate: 1e-3,
    ssimImages: 4,
    sampleImages: 1,
    checkpointEvery: 3,
    domain: 'A',
  });
  const ctx = recordingContext({ runId: 'ae', config, backend: 'wasm', runDir: join(scratch, 'ae'), resumeFrom: null }, 'wasm');
  await runInThread(ctx);
  const rec = ctx.ofType('epoch').map((e) => e.losses.rec);
  console.log(`AE reconstruction MSE per epoch: ${rec.map((r) => r.toFixed(4)).join(' -> ')}`);
  assert.ok(rec[2] < rec[0], `reconstruction loss did not drop: ${rec.join(', ')}`);
});
