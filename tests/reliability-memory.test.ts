// The up-front memory estimate that refuses configurations too large for a run: its
// parameter counts equal the real networks', its total stays near the peak tensor memory
// of real training iterations (measured on the wasm backend), and the API refuses a config
// above LAB_RUN_MEMORY_MB naming the fields, writing nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { sql } from 'drizzle-orm';
import { autoencoderParameters, cycleGanMemory, discriminatorParameters, generatorParameters, pretrainMemory } from '../src/schema/validation/memory-estimate.js';
import type { LabServer } from '../src/server/start.js';
import { initBackend } from '../src/training/backend.js';
import { cycleGanConfig, pretrainConfig } from '../src/training/configs.js';
import { CycleGanTrainer } from '../src/training/cyclegan-trainer.js';
import { autoencoderParamCount, buildAutoencoder } from '../src/training/networks/autoencoder.js';
import { buildPatchDiscriminator } from '../src/training/networks/patch-discriminator.js';
import { buildResnetGenerator } from '../src/training/networks/resnet-generator.js';
import { PretrainTrainer } from '../src/training/pretrain-trainer.js';
import type { RunConfig, RunContext } from '../src/training/protocol.js';
import type { Trainer } from '../src/training/training-loop.js';
import { fixtureWorkers, gql, startTestServer } from './fixtures/lab-api.js';
import { copyTinyDataset } from './fixtures/tiny-dataset.js';

let backend: Awaited<ReturnType<typeof initBackend>>;
before(async () => {
  backend = await initBackend('wasm');
});

test('parameter counts equal the networks the trainers build', () => {
  for (const [ngf, nBlocks] of [[4, 1], [64, 3], [16, 9]]) {
    const g = buildResnetGenerator({ ngf, nBlocks }, 32);
    assert.equal(generatorParameters(ngf, nBlocks), g.countParams(), `generator ngf ${ngf} nBlocks ${nBlocks}`);
    g.dispose();
  }
  assert.equal(generatorParameters(64, 3), 4_297_219, "the paper's 4.3 million");
  for (const [ndf, nLayers] of [[4, 1], [64, 3], [8, 5]]) {
    const d = buildPatchDiscriminator({ ndf, nLayers }, 256);
    assert.equal(discriminatorParameters(ndf, nLayers), d.countParams(), `discriminator ndf ${ndf} nLayers ${nLayers}`);
    d.dispose();
  }
  for (const [ngf, nBlocks, latentSize, imageSize, variational] of [[8, 1, 16, 32, false], [64, 3, 16, 32, false], [4, 2, 8, 64, true]] as const) {
    const ae = buildAutoencoder({ generator: { ngf, nBlocks }, latentSize, imageSize, variational });
    assert.equal(autoencoderParameters(ngf, nBlocks, latentSize, imageSize, variational), autoencoderParamCount(ae), `autoencoder ngf ${ngf} ${imageSize}px`);
    for (const model of Object.values(ae)) model.dispose();
  }
});

describe('estimate against measured peak tensor memory (wasm)', () => {
  let root: string;
  let peak = 0;
  let current = 0;

  before(() => {
    root = copyTinyDataset(8);
    // The engine's byte count, watched for its highest value (tf.profile cannot run the
    // custom wasm gradient kernels).
    const state = (tf.engine() as unknown as { state: { numBytes: number } }).state;
    current = state.numBytes;
    Object.defineProperty(state, 'numBytes', {
      get: () => current,
      set: (value: number) => {
        current = value;
        peak = Math.max(peak, value);
      },
    });
  });

  const contextFor = (config: RunConfig): RunContext => ({
    input: { runId: 'memory', config, backend, runDir: root, resumeFrom: null, imageCacheDir: null },
    backend,
    post: () => undefined,
    isCancelled: () => false,
  });
  /** Highest engine bytes during one training iteration (images are JS memory, not tensors). */
  const measure = (trainer: Trainer): number => {
    trainer.startEpoch(1);
    peak = current;
    trainer.trainIteration();
    return peak;
  };
  const dataset = (): { id: string; name: string; root: string } => ({ id: 'tiny', name: 'tiny', root });
  /** The estimate without images: pools are empty at the first iteration, decoded images are not tensors. */
  const tensorBytes = (estimate: { bytes: number; imageBytes: number }): number => estimate.bytes - estimate.imageBytes;

  for (const [imageSize, ngf, nBlocks, ndf, nLayers, batchSize] of [
    [32, 64, 3, 64, 3, 1],
    [32, 16, 1, 16, 2, 2],
  ]) {
    test(`CycleGAN ${imageSize}px ngf ${ngf} nBlocks ${nBlocks} ndf ${ndf} nLayers ${nLayers} batch ${batchSize}: estimate within 0.9 to 1.4 times the peak`, async (t) => {
      const config = cycleGanConfig(dataset(), { imageSize, generator: { ngf, nBlocks }, discriminator: { ndf, nLayers }, batchSize, maxTrainImages: 8, ssimImages: 0, sampleImages: 0 });
      const trainer = await CycleGanTrainer.create(contextFor(config));
      try {
        const measured = measure(trainer);
        const estimate = cycleGanMemory({ imageSize, batchSize, ngf, nBlocks, ndf, nLayers, poolSize: config.poolSize }, 0);
        const ratio = tensorBytes(estimate) / measured;
        const figures = `estimate ${(tensorBytes(estimate) / 1e6).toFixed(1)} MB, measured peak ${(measured / 1e6).toFixed(1)} MB (x${ratio.toFixed(2)})`;
        t.diagnostic(figures);
        assert.ok(ratio >= 0.9 && ratio <= 1.4, figures);
      } finally {
        trainer.dispose();
      }
    });
  }

  test('VAE 32px ngf 32 batch 4: estimate within 0.9 to 1.4 times the peak', async (t) => {
    const shape = { imageSize: 32, batchSize: 4, ngf: 32, nBlocks: 1, latentSize: 16, variational: true };
    const config = pretrainConfig(dataset(), {
      kind: 'VAE',
      imageSize: 32,
      batchSize: 4,
      generator: { ngf: 32, nBlocks: 1 },
      latentSize: 16,
      vae: { klWeight: 1, klWarmupEpochs: 1, freeBits: 0.5 },
      maxTrainImages: 8,
      ssimImages: 0,
      sampleImages: 0,
    });
    const trainer = await PretrainTrainer.create(contextFor(config));
    try {
      const measured = measure(trainer);
      const estimate = tensorBytes(pretrainMemory(shape, 0));
      const figures = `estimate ${(estimate / 1e6).toFixed(1)} MB, measured peak ${(measured / 1e6).toFixed(1)} MB (x${(estimate / measured).toFixed(2)})`;
      t.diagnostic(figures);
      assert.ok(estimate / measured >= 0.9 && estimate / measured <= 1.4, figures);
    } finally {
      trainer.dispose();
    }
  });
});

describe('a configuration too large for LAB_RUN_MEMORY_MB', () => {
  let server: LabServer;
  let datasetId: string;
  before(async () => {
    server = await startTestServer({ workerEntry: fixtureWorkers.epochs, runMemoryMb: 4096 });
    datasetId = (await gql<{ datasets: { id: string }[] }>(server, '{ datasets { id } }')).data!.datasets[0].id;
  });
  after(() => server.close());

  test('is refused before anything is written, naming the fields and both figures; the paper config passes', async () => {
    const runs = (): number => server.db.get<{ n: number }>(sql`select count(*) as n from runs`).n;
    const before = runs();
    const tooBig = await gql(server, 'mutation($i: CycleGanInput!) { startCycleGan(input: $i) { id } }', {
      i: { datasetId, imageSize: 256, ngf: 64, nBlocks: 9, epochs: 1 },
    });
    const [error] = tooBig.errors ?? [];
    assert.equal(error?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(
      error.message,
      /^this run would need about \d+ MB of memory \(parameters and optimizer state \d+ MB, largest training step \d+ MB, images \d+ MB\), more than the 4096 MB a run may use \(LAB_RUN_MEMORY_MB\): lower imageSize, batchSize, ngf, nBlocks, ndf or nLayers$/,
    );
    const extensions = error.extensions as { fields: string[]; estimatedMb: number; limitMb: number };
    assert.deepEqual(extensions.fields, ['imageSize', 'batchSize', 'ngf', 'nBlocks', 'ndf', 'nLayers']);
    assert.ok(extensions.estimatedMb > 4096 && extensions.limitMb === 4096);
    const ae = await gql(server, 'mutation($i: PretrainingInput!) { startPretraining(input: $i) { id } }', {
      i: { datasetId, domain: 'A', imageSize: 256, batchSize: 64, ngf: 128 },
    });
    assert.equal(ae.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(ae.errors![0].message, /lower imageSize, batchSize, ngf, nBlocks or latentSize$/);
    assert.equal(runs(), before, 'nothing written');

    const paper = await gql<{ startCycleGan: { id: string } }>(server, 'mutation($i: CycleGanInput!) { startCycleGan(input: $i) { id } }', { i: { datasetId, epochs: 1 } });
    assert.ok(paper.data?.startCycleGan.id, JSON.stringify(paper.errors));
    await gql(server, 'mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: paper.data!.startCycleGan.id });
  });
});
