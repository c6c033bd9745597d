// runEvaluation end to end on the bundled 32x32 apple2orange test images, with a real CycleGAN
// checkpoint (small random generators written by the training code) and the ResNet50 extractor.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { runEvaluation } from '../src/metrics/evaluator.js';
import { ssim } from '../src/metrics/ssim.js';
import { bundledDatasetRoot } from '../src/paths.js';
import { initBackend } from '../src/training/backend.js';
import { writeCheckpoint } from '../src/training/checkpoint.js';
import { floatsToBytes, imagesToTensor, loadDomainImages } from '../src/training/data.js';
import { initWeights } from '../src/training/networks/init-weights.js';
import { buildResnetGenerator } from '../src/training/networks/resnet-generator.js';
import type { CycleGanConfig, EvaluationConfig, EvaluationValue, RunContext, WorkerMessage } from '../src/training/protocol.js';
import { Rng } from '../src/training/rng.js';

const N = 4;
const SIZE = 32;
const dataset = { id: 'apple2orange-32', name: 'apple2orange-32', root: bundledDatasetRoot() };
const generator = { ngf: 8, nBlocks: 1 };

let work: string;
let config: EvaluationConfig;

before(async () => {
  await initBackend('wasm');
  work = mkdtempSync(join(tmpdir(), 'metrics-evaluator-'));
  const source: CycleGanConfig = {
    kind: 'CYCLEGAN', dataset, imageSize: SIZE, batchSize: 1, seed: 3, maxTrainImages: 4, checkpointEvery: 1, ssimEvery: 1,
    ssimImages: 4, sampleImages: 2, onBadImage: 'fail', generator, discriminator: { ndf: 8, nLayers: 2 }, epochs: 1, epochsDecay: 0,
    learningRate: 2e-4, beta1: 0.5, beta2: 0.999, lambdaCycle: 10, lambdaIdentity: 0.5, poolSize: 50,
    init: { gAB: { type: 'random' }, gBA: { type: 'random' } },
  };
  const networks = { gAB: buildResnetGenerator(generator, SIZE, 'gAB'), gBA: buildResnetGenerator(generator, SIZE, 'gBA') };
  const rng = new Rng(3);
  Object.values(networks).forEach((m) => initWeights(m, rng));
  const written = await writeCheckpoint(join(work, 'source-run'), {
    kind: 'CYCLEGAN', runId: 'source-run', epoch: 1, step: 4, rng: rng.getState(), config: source, networks, optimizers: {}, pools: {},
  });
  Object.values(networks).forEach((m) => m.dispose());
  config = {
    kind: 'EVALUATION', dataset, imageSize: SIZE, seed: 5, sourceRunId: 'source-run', checkpointDir: written.path, sourceEpoch: 1,
    generator, extractor: 'resnet50-imagenet', inceptionWeightsDir: null, maxImages: N, kidSubsetSize: 100, kidSubsets: 10,
    featureCacheDir: join(work, 'feature-cache'),
  };
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs an evaluation and collects what it posts; `cancelAfterProgress` cancels after that many progress messages. */
async function evaluate(cfg: EvaluationConfig, cancelAfterProgress = Infinity): Promise<WorkerMessage[]> {
  const messages: WorkerMessage[] = [];
  const ctx: RunContext = {
    input: { runId: 'eval-run', config: cfg, backend: 'wasm', runDir: join(work, 'eval-run'), resumeFrom: null },
    backend: 'wasm',
    post: (m) => messages.push(m),
    isCancelled: () => messages.filter((m) => m.type === 'progress').length >= cancelAfterProgress,
  };
  await runEvaluation(ctx);
  return messages;
}

const evaluationOf = (messages: WorkerMessage[]): EvaluationValue[] => {
  const ev = messages.filter((m) => m.type === 'evaluation');
  assert.equal(ev.length, 1);
  return ev[0].type === 'evaluation' ? ev[0].values : [];
};
const progressTotals = (messages: WorkerMessage[]): number[] =>
  messages.flatMap((m) => (m.type === 'progress' ? [m.iterationsPerEpoch] : []));

let first: WorkerMessage[];

test('evaluation posts progress, one evaluation with SSIM, FD-ResNet50 and KID-ResNet50 per domain and comparison, then done', async () => {
  first = await evaluate(config);
  assert.equal(first.at(-1)?.type, 'done');
  assert.equal(first.at(-2)?.type, 'evaluation');
  // Every image through the extractor: real, fake and rec of both domains.
  assert.deepEqual([...new Set(progressTotals(first))], [6 * N]);
  const last = first.filter((m) => m.type === 'progress').at(-1);
  assert.ok(last?.type === 'progress' && last.iteration === 6 * N && last.etaSeconds === 0 && last.epoch === 1);

  const values = evaluationOf(first);
  assert.equal(values.length, 2 * 3 * 3);
  console.log(values.map((v) => `${v.metric} ${v.domain} ${v.comparison} ${v.value.toPrecision(4)}`).join('\n'));
  for (const domain of ['A', 'B'] as const) {
    for (const comparison of ['REAL_VS_FAKE', 'REC_VS_FAKE', 'REAL_VS_REC'] as const) {
      const pick = (metric: string) => values.filter((v) => v.domain === domain && v.comparison === comparison && v.metric === metric);
      const [s] = pick('SSIM');
      assert.ok(s && s.n === N && s.imageScores?.length === N && s.extractor === null && s.value > -1 && s.value < 0.999, `SSIM ${domain} ${comparison}: ${JSON.stringify(s)}`);
      const [fd] = pick('FD-ResNet50');
      const [kid] = pick('KID-ResNet50');
      for (const v of [fd, kid]) {
        assert.ok(v && Number.isFinite(v.value) && v.n === N && v.extractor === 'resnet50-imagenet' && v.resize === 'bilinear-224', `${v?.metric} ${domain} ${comparison}`);
      }
      assert.ok(fd.value > 0 && fd.std === null);
      assert.match(fd.warning ?? '', /fewer samples than feature dimensions \(N1=4, N2=4, d=2048\)/);
      assert.ok(kid.std !== null && kid.std >= 0);
      assert.match(kid.warning ?? '', /subset size reduced from 100 to 4/);
    }
  }
});

test('evaluation SSIM is the paired SSIM of each real test image and its 8-bit translation', async () => {
  const values = evaluationOf(first);
  const realA = await loadDomainImages(dataset.root, 'testA', SIZE, { maxImages: N });
  const { loadGeneratorFromCheckpoint } = await import('../src/training/checkpoint.js');
  const gAB = await loadGeneratorFromCheckpoint(config.checkpointDir, 'gAB');
  const fakeB = floatsToBytes(tf.tidy(() => (gAB.predict(imagesToTensor(realA, [0, 1, 2, 3])) as tf.Tensor).dataSync()));
  gAB.dispose();
  const frame = SIZE * SIZE * 3;
  const img = (p: Uint8Array, i: number) => ({ data: p.subarray(i * frame, (i + 1) * frame), height: SIZE, width: SIZE, channels: 3 });
  const expected = realA.names.map((name, i) => ({ image: name, value: ssim(img(realA.pixels, i), img(fakeB, i), { dataRange: 255 }) }));
  const got = values.find((v) => v.metric === 'SSIM' && v.domain === 'A' && v.comparison === 'REAL_VS_FAKE');
  assert.deepEqual(got?.imageScores, expected);
  const mean = expected.reduce((s, e) => s + e.value, 0) / N;
  assert.ok(Math.abs((got?.value ?? NaN) - mean) < 1e-12);
});

test('a second evaluation reads real-image features from the cache and gives the same values', async () => {
  const cached = readdirSync(config.featureCacheDir).sort();
  assert.deepEqual(cached.filter((f) => f.endsWith('.json')).length, 2, cached.join(', '));
  const second = await evaluate(config);
  // Only fakes and recs go through the extractor now.
  assert.deepEqual([...new Set(progressTotals(second))], [4 * N]);
  assert.deepEqual(evaluationOf(second), evaluationOf(first));
});

test('evaluation stops between batches when cancelled and posts cancelled', async () => {
  const messages = await evaluate(config, 1);
  assert.equal(messages.at(-1)?.type, 'cancelled');
  assert.ok(!messages.some((m) => m.type === 'evaluation' || m.type === 'done'));
  assert.equal(messages.filter((m) => m.type === 'progress').length, 1);
});

test('evaluation with inception-v3 and no weights fails with instructions', async () => {
  await assert.rejects(evaluate({ ...config, extractor: 'inception-v3' }), /no inceptionWeightsDir was given.*tensorflowjs_converter/);
  assert.ok(existsSync(config.featureCacheDir));
});
