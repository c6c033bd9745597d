// CycleGAN training as the reference (Zhu et al. 2017, pytorch-CycleGAN-and-pix2pix):
// LSGAN losses, cycle L1 x lambdaCycle, identity L1 x lambdaIdentity x lambdaCycle, the
// discriminator loss halved, Adam for both generators and for both discriminators, an
// image pool per direction, random horizontal flips, linear LR decay.
// Naming follows the reference: G_A = gAB (A -> B) and D_A = dA, the discriminator of
// gAB's outputs (it judges domain-B images); G_B = gBA and D_B = dB (judges domain A).
import * as tf from '@tensorflow/tfjs';
import type { CycleGanConfig, Domain, GeneratorInit, RunContext, SsimSummary } from './protocol.js';
import { Adam } from './adam.js';
import { imagesToTensor, loadDomainImages, type DomainImages } from './data.js';
import { ImagePool } from './image-pool.js';
import { l1Loss, lsganLoss } from './losses.js';
import { learningRateAt } from './lr-schedule.js';
import { buildPatchDiscriminator } from './networks/patch-discriminator.js';
import { buildResnetGenerator } from './networks/resnet-generator.js';
import { initWeights } from './networks/init-weights.js';
import { copyWeights } from './model-files.js';
import { Rng } from './rng.js';
import { loadGeneratorFromCheckpoint, readCheckpointState, restoreNetwork, restoreOptimizer, restorePool, writeCheckpoint, type WrittenCheckpoint } from './checkpoint.js';
import { frameOf, translateToBytes } from './test-images.js';
import { ssimSummary } from './ssim-summary.js';
import { writeSamples, type SampleImage, type SampleMessage } from './samples.js';
import type { Trainer } from './training-loop.js';

export const CYCLEGAN_LOSSES = ['D_A', 'G_A', 'cycle_A', 'idt_A', 'D_B', 'G_B', 'cycle_B', 'idt_B'] as const;
export const ADAM_EPSILON = 1e-8;

interface Nets {
  gAB: tf.LayersModel;
  gBA: tf.LayersModel;
  dA: tf.LayersModel;
  dB: tf.LayersModel;
}

export interface CycleGanData {
  trainA: DomainImages;
  trainB: DomainImages;
  testA: DomainImages | null;
  testB: DomainImages | null;
}

export async function loadCycleGanData(config: CycleGanConfig, cacheDir: string | null): Promise<CycleGanData> {
  const { root } = config.dataset;
  const opts = { onBadImage: config.onBadImage, cacheDir };
  const nTest = Math.max(config.ssimImages, config.sampleImages);
  return {
    trainA: await loadDomainImages(root, 'trainA', config.imageSize, { ...opts, maxImages: config.maxTrainImages }),
    trainB: await loadDomainImages(root, 'trainB', config.imageSize, { ...opts, maxImages: config.maxTrainImages }),
    testA: nTest > 0 ? await loadDomainImages(root, 'testA', config.imageSize, { ...opts, maxImages: nTest }) : null,
    testB: nTest > 0 ? await loadDomainImages(root, 'testB', config.imageSize, { ...opts, maxImages: nTest }) : null,
  };
}

const variablesOf = (...models: tf.LayersModel[]): tf.Variable[] =>
  models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));

async function initGenerator(target: tf.LayersModel, init: GeneratorInit, name: string): Promise<void> {
  if (init.type === 'random') return;
  const pretrained = await loadGeneratorFromCheckpoint(init.checkpointDir, 'generator');
  try {
    copyWeights(pretrained, target, `initialising ${name} from run ${init.runId} (${init.checkpointDir})`);
  } finally {
    pretrained.dispose();
  }
}

export class CycleGanTrainer implements Trainer {
  readonly epochsTotal: number;
  readonly iterationsPerEpoch: number;
  completedEpochs = 0;
  step = 0;
  readonly skippedImages: { file: string; reason: string }[];
  readonly nets: Nets;
  private readonly adamG: Adam;
  private readonly adamD: Adam;
  private readonly gVars: tf.Variable[];
  private readonly dVars: tf.Variable[];
  private readonly poolA: ImagePool;
  private readonly poolB: ImagePool;
  private readonly rng: Rng;
  private order: number[] = [];
  private iteration = 0;
  private lr = 0;

  private constructor(
    private readonly ctx: RunContext,
    readonly config: CycleGanConfig,
    private readonly data: CycleGanData,
  ) {
    const size = config.imageSize;
    this.skippedImages = [data.trainA, data.trainB, data.testA, data.testB].flatMap((d) => d?.skipped ?? []);
    this.rng = new Rng(config.seed);
    this.nets = {
      gAB: buildResnetGenerator(config.generator, size, 'gAB'),
      gBA: buildResnetGenerator(config.generator, size, 'gBA'),
      dA: buildPatchDiscriminator(config.discriminator, size, 'dA'),
      dB: buildPatchDiscriminator(config.discriminator, size, 'dB'),
    };
    // Every network draws its random init, pretrained or not, so the discriminators of a
    // random-init and an AE-init run with the same seed start equal.
    for (const net of Object.values(this.nets)) initWeights(net, this.rng);
    this.gVars = variablesOf(this.nets.gAB, this.nets.gBA);
    this.dVars = variablesOf(this.nets.dA, this.nets.dB);
    const hyper = { beta1: config.beta1, beta2: config.beta2, epsilon: ADAM_EPSILON };
    this.adamG = new Adam(this.gVars, hyper);
    this.adamD = new Adam(this.dVars, hyper);
    this.poolA = new ImagePool(config.poolSize);
    this.poolB = new ImagePool(config.poolSize);
    this.epochsTotal = config.epochs + config.epochsDecay;
    const len = Math.max(data.trainA.names.length, data.trainB.names.length);
    this.iterationsPerEpoch = Math.ceil(len / config.batchSize);
  }

  static async create(ctx: RunContext, data?: CycleGanData): Promise<CycleGanTrainer> {
    const { input } = ctx;
    const config = input.config as CycleGanConfig;
    const t = new CycleGanTrainer(ctx, config, data ?? (await loadCycleGanData(config, input.imageCacheDir ?? null)));
    if (input.resumeFrom) await t.resume(input.resumeFrom);
    else {
      await initGenerator(t.nets.gAB, config.init.gAB, 'gAB');
      await initGenerator(t.nets.gBA, config.init.gBA, 'gBA');
    }
    return t;
  }

  private async resume(dir: string): Promise<void> {
    const state = readCheckpointState(dir);
    if (state.kind !== 'CYCLEGAN') throw new Error(`cannot resume a CycleGAN run from a ${state.kind} checkpoint: ${dir}`);
    for (const [name, model] of Object.entries(this.nets)) await restoreNetwork(dir, name, model);
    restoreOptimizer(dir, state, 'g', this.adamG);
    restoreOptimizer(dir, state, 'd', this.adamD);
    restorePool(dir, state, 'A', this.poolA);
    restorePool(dir, state, 'B', this.poolB);
    this.rng.setState(state.rng);
    this.completedEpochs = state.epoch;
    this.step = state.step;
  }

  startEpoch(epoch: number): { lr: number; epochValues: Record<string, number> } {
    const { config } = this;
    this.lr = learningRateAt(epoch, config.learningRate, config.epochs, config.epochsDecay);
    // Like the reference's unaligned dataset: a shuffled pass over the larger domain's
    // length; A image = index mod |A|, B image drawn at random.
    this.order = this.rng.permutation(Math.max(this.data.trainA.names.length, this.data.trainB.names.length));
    this.iteration = 0;
    return { lr: this.lr, epochValues: {} };
  }

  private nextBatch(): { realA: tf.Tensor4D; realB: tf.Tensor4D } {
    const { batchSize } = this.config;
    const nA = this.data.trainA.names.length;
    const nB = this.data.trainB.names.length;
    const slice = this.order.slice(this.iteration * batchSize, (this.iteration + 1) * batchSize);
    const a = slice.map((i) => i % nA);
    const b = slice.map(() => this.rng.int(nB));
    const flipA = slice.map(() => this.rng.uniform() < 0.5);
    const flipB = slice.map(() => this.rng.uniform() < 0.5);
    return { realA: imagesToTensor(this.data.trainA, a, flipA), realB: imagesToTensor(this.data.trainB, b, flipB) };
  }

  trainIteration(): Record<string, number> {
    const { gAB, gBA, dA, dB } = this.nets;
    const lambda = this.config.lambdaCycle;
    const lambdaIdt = this.config.lambdaIdentity * lambda;
    const values = tf.tidy(() => {
      const { realA, realB } = this.nextBatch();
      const n = realA.shape[0];
      // Tensors made inside variableGrads that outlive it (tf.keep), disposed at the end.
      const kept: { gLosses?: tf.Scalar[]; fakeA?: tf.Tensor4D; fakeB?: tf.Tensor4D; dLosses?: tf.Scalar[] } = {};

      // Generators: one batched call per network (instance norm makes this exact).
      const g = tf.variableGrads(() => {
        const [fakeB, idtA] = tf.split(gAB.apply(tf.concat([realA, realB])) as tf.Tensor4D, [n, n]);
        const [fakeA, idtB] = tf.split(gBA.apply(tf.concat([realB, realA])) as tf.Tensor4D, [n, n]);
        const recA = gBA.apply(fakeB) as tf.Tensor4D;
        const recB = gAB.apply(fakeA) as tf.Tensor4D;
        // G_A, cycle_A, idt_A, G_B, cycle_B, idt_B
        const losses = [
          lsganLoss(dA.apply(fakeB) as tf.Tensor, true),
          tf.mul(l1Loss(recA, realA), lambda) as tf.Scalar,
          tf.mul(l1Loss(idtA, realB), lambdaIdt) as tf.Scalar,
          lsganLoss(dB.apply(fakeA) as tf.Tensor, true),
          tf.mul(l1Loss(recB, realB), lambda) as tf.Scalar,
          tf.mul(l1Loss(idtB, realA), lambdaIdt) as tf.Scalar,
        ];
        kept.gLosses = losses.map((l) => tf.keep(l));
        kept.fakeA = tf.keep(fakeA) as tf.Tensor4D;
        kept.fakeB = tf.keep(fakeB) as tf.Tensor4D;
        return tf.addN(losses) as tf.Scalar;
      }, this.gVars);
      this.adamG.apply(this.gVars.map((v) => g.grads[v.name]), this.lr);

      // Discriminators, on pooled fakes from before the generator update (as the reference).
      const pooledB = this.poolB.query(kept.fakeB!, this.rng);
      const pooledA = this.poolA.query(kept.fakeA!, this.rng);
      const d = tf.variableGrads(() => {
        const discriminatorLoss = (net: tf.LayersModel, real: tf.Tensor4D, fake: tf.Tensor4D): tf.Scalar => {
          const [pReal, pFake] = tf.split(net.apply(tf.concat([real, fake])) as tf.Tensor, [n, fake.shape[0]]);
          return tf.mul(tf.add(lsganLoss(pReal, true), lsganLoss(pFake, false)), 0.5);
        };
        const losses = [discriminatorLoss(dA, realB, pooledB), discriminatorLoss(dB, realA, pooledA)];
        kept.dLosses = losses.map((l) => tf.keep(l));
        return tf.add(losses[0], losses[1]) as tf.Scalar;
      }, this.dVars);
      this.adamD.apply(this.dVars.map((v) => d.grads[v.name]), this.lr);

      const [gA, cycleA, idtA, gB, cycleB, idtB] = kept.gLosses!;
      const [dLossA, dLossB] = kept.dLosses!;
      const out = tf.stack([dLossA, gA, cycleA, idtA, dLossB, gB, cycleB, idtB]).dataSync();
      tf.dispose([...kept.gLosses!, ...kept.dLosses!, kept.fakeA!, kept.fakeB!]);
      return Array.from(out);
    });
    this.iteration++;
    this.step++;
    return Object.fromEntries(CYCLEGAN_LOSSES.map((name, i) => [name, values[i]]));
  }

  private translations(domain: Domain, count: number): { images: DomainImages; fake: Uint8Array[]; rec: Uint8Array[]; idt: Uint8Array[] } | null {
    const images = domain === 'A' ? this.data.testA : this.data.testB;
    if (!images || count === 0) return null;
    const [forward, backward] = domain === 'A' ? [this.nets.gAB, this.nets.gBA] : [this.nets.gBA, this.nets.gAB];
    const [fake, rec, idt] = translateToBytes(images, count, (x) => {
      const f = forward.predict(x) as tf.Tensor4D;
      return [f, backward.predict(f) as tf.Tensor4D, backward.predict(x) as tf.Tensor4D];
    });
    return { images, fake, rec, idt };
  }

  ssim(): Record<string, SsimSummary> {
    const out: Record<string, SsimSummary> = {};
    for (const domain of ['A', 'B'] as const) {
      const t = this.translations(domain, this.config.ssimImages);
      if (!t) continue;
      const reals = t.fake.map((_, i) => frameOf(t.images, i));
      out[`real_vs_fake_${domain}`] = ssimSummary(reals, t.fake, t.images.size);
      out[`real_vs_rec_${domain}`] = ssimSummary(reals, t.rec, t.images.size);
    }
    return out;
  }

  async writeSamples(epoch: number): Promise<SampleMessage[]> {
    const samples: SampleImage[] = [];
    for (const domain of ['A', 'B'] as const) {
      const t = this.translations(domain, this.config.sampleImages);
      if (!t) continue;
      t.fake.forEach((_, index) => {
        const image = t.images.names[index];
        samples.push({ domain, kind: 'real', index, image, pixels: frameOf(t.images, index) });
        samples.push({ domain, kind: 'fake', index, image, pixels: t.fake[index] });
        samples.push({ domain, kind: 'rec', index, image, pixels: t.rec[index] });
        samples.push({ domain, kind: 'idt', index, image, pixels: t.idt[index] });
      });
    }
    return writeSamples(this.ctx.input.runDir, epoch, this.config.imageSize, samples);
  }

  writeCheckpoint(epoch: number): Promise<WrittenCheckpoint> {
    return writeCheckpoint(this.ctx.input.runDir, {
      kind: 'CYCLEGAN',
      runId: this.ctx.input.runId,
      epoch,
      step: this.step,
      rng: this.rng.getState(),
      config: this.config,
      networks: { ...this.nets },
      optimizers: { g: this.adamG, d: this.adamD },
      pools: { A: this.poolA, B: this.poolB },
    });
  }

  dispose(): void {
    for (const net of Object.values(this.nets)) net.dispose();
    this.adamG.dispose();
    this.adamD.dispose();
    this.poolA.dispose();
    this.poolB.dispose();
  }
}
