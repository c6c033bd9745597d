// Autoencoder pretraining on one domain (the paper's first stage): image -> encoder ->
// latent -> decoder -> ResNet generator -> image, MSE reconstruction loss, Adam. The VAE
// variant samples the latent with the reparameterisation trick and adds a KL term whose
// weight ramps up linearly over the first epochs (KL warm-up) and which ignores, per
// latent dimension, the KL below `freeBits` nats (free bits): the two usual remedies for
// the vanishing KL term the paper ran into.
import * as tf from '@tensorflow/tfjs';
import type { PretrainConfig, RunContext, SsimSummary, VaeOptions } from './protocol.js';
import { Adam } from './adam.js';
import { imagesToTensor, loadDomainImages, type DomainImages } from './data.js';
import { mseLoss } from './losses.js';
import { buildAutoencoder, type Autoencoder } from './networks/autoencoder.js';
import { initWeights } from './networks/init-weights.js';
import { Rng } from './rng.js';
import { readCheckpointState, restoreNetwork, restoreOptimizer, writeCheckpoint, type WrittenCheckpoint } from './checkpoint.js';
import { frameOf, translateToBytes } from './test-images.js';
import { ssimSummary } from './ssim-summary.js';
import { writeSamples, type SampleImage, type SampleMessage } from './samples.js';
import type { Trainer } from './training-loop.js';

export const PRETRAIN_BETAS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export interface PretrainData {
  train: DomainImages;
  test: DomainImages | null;
}

export async function loadPretrainData(config: PretrainConfig, cacheDir: string | null): Promise<PretrainData> {
  const { root } = config.dataset;
  const opts = { onBadImage: config.onBadImage, cacheDir };
  const nTest = Math.max(config.ssimImages, config.sampleImages);
  return {
    train: await loadDomainImages(root, `train${config.domain}`, config.imageSize, { ...opts, maxImages: config.maxTrainImages }),
    test: nTest > 0 ? await loadDomainImages(root, `test${config.domain}`, config.imageSize, { ...opts, maxImages: nTest }) : null,
  };
}

/** KL weight in 1-based epoch e: 0 in epoch 1, klWeight from epoch klWarmupEpochs + 1 on. */
export function klWeightAt(epoch: number, vae: VaeOptions): number {
  if (vae.klWarmupEpochs <= 0) return vae.klWeight;
  return vae.klWeight * Math.min(1, (epoch - 1) / vae.klWarmupEpochs);
}

export class PretrainTrainer implements Trainer {
  readonly epochsTotal: number;
  readonly iterationsPerEpoch: number;
  completedEpochs = 0;
  step = 0;
  readonly skippedImages: { file: string; reason: string }[];
  readonly ae: Autoencoder;
  private readonly vars: tf.Variable[];
  private readonly adam: Adam;
  private readonly rng: Rng;
  private readonly vae: VaeOptions | null;
  private order: number[] = [];
  private iteration = 0;
  private klWeight = 0;

  private constructor(
    private readonly ctx: RunContext,
    readonly config: PretrainConfig,
    private readonly data: PretrainData,
  ) {
    this.skippedImages = [...data.train.skipped, ...(data.test?.skipped ?? [])];
    this.vae = config.kind === 'VAE' ? config.vae : null;
    if (config.kind === 'VAE' && !this.vae) throw new Error('config.vae is required when kind is VAE');
    this.rng = new Rng(config.seed);
    this.ae = buildAutoencoder({
      generator: config.generator,
      latentSize: config.latentSize,
      imageSize: config.imageSize,
      variational: this.vae !== null,
    });
    for (const net of [this.ae.encoder, this.ae.decoder, this.ae.generator]) initWeights(net, this.rng);
    this.vars = [this.ae.encoder, this.ae.decoder, this.ae.generator].flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
    this.adam = new Adam(this.vars, PRETRAIN_BETAS);
    this.epochsTotal = config.epochs;
    this.iterationsPerEpoch = Math.ceil(data.train.names.length / config.batchSize);
  }

  static async create(ctx: RunContext, data?: PretrainData): Promise<PretrainTrainer> {
    const config = ctx.input.config as PretrainConfig;
    const t = new PretrainTrainer(ctx, config, data ?? (await loadPretrainData(config, ctx.input.imageCacheDir ?? null)));
    if (ctx.input.resumeFrom) await t.resume(ctx.input.resumeFrom);
    return t;
  }

  private async resume(dir: string): Promise<void> {
    const state = readCheckpointState(dir);
    if (state.kind !== this.config.kind) throw new Error(`cannot resume a ${this.config.kind} run from a ${state.kind} checkpoint: ${dir}`);
    for (const name of ['encoder', 'decoder', 'generator'] as const) await restoreNetwork(dir, name, this.ae[name]);
    restoreOptimizer(dir, state, 'ae', this.adam);
    this.rng.setState(state.rng);
    this.completedEpochs = state.epoch;
    this.step = state.step;
  }

  startEpoch(epoch: number): { lr: number; epochValues: Record<string, number> } {
    this.order = this.rng.permutation(this.data.train.names.length);
    this.iteration = 0;
    if (!this.vae) return { lr: this.config.learningRate, epochValues: {} };
    this.klWeight = klWeightAt(epoch, this.vae);
    return { lr: this.config.learningRate, epochValues: { kl_weight: this.klWeight } };
  }

  /** Deterministic reconstruction (the VAE decodes its mean). */
  reconstruct(x: tf.Tensor4D): tf.Tensor4D {
    const encoded = this.ae.encoder.predict(x);
    const z = Array.isArray(encoded) ? encoded[0] : encoded;
    return this.ae.generator.predict(this.ae.decoder.predict(z) as tf.Tensor4D) as tf.Tensor4D;
  }

  trainIteration(): Record<string, number> {
    const { batchSize } = this.config;
    const slice = this.order.slice(this.iteration * batchSize, (this.iteration + 1) * batchSize);
    const flips = slice.map(() => this.rng.uniform() < 0.5);
    const noiseSeed = this.vae ? this.rng.tfSeed() : 0;
    const values = tf.tidy(() => {
      const x = imagesToTensor(this.data.train, slice, flips);
      // Loss values made inside variableGrads that outlive it (tf.keep), disposed below.
      const kept: tf.Scalar[] = [];
      const { grads } = tf.variableGrads(() => {
        const decode = (z: tf.Tensor): tf.Tensor => this.ae.generator.apply(this.ae.decoder.apply(z)) as tf.Tensor;
        const encoded = this.ae.encoder.apply(x) as tf.Tensor | tf.Tensor[];
        if (!this.vae || !Array.isArray(encoded)) {
          const rec = mseLoss(decode(encoded as tf.Tensor), x);
          kept.push(tf.keep(rec));
          return rec;
        }
        const [mu, logVar] = encoded;
        const eps = tf.randomNormal(mu.shape, 0, 1, 'float32', noiseSeed);
        const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps));
        const rec = mseLoss(decode(z), x);
        // KL(q(z|x) || N(0, I)) per latent dimension, averaged over the batch.
        const klPerDim = tf.mean(tf.mul(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(logVar, 1)), 0.5), 0);
        const kl = tf.sum(klPerDim) as tf.Scalar;
        kept.push(tf.keep(rec), tf.keep(kl));
        const penalised = tf.sum(tf.maximum(klPerDim, this.vae.freeBits));
        return tf.add(rec, tf.mul(penalised, this.klWeight)) as tf.Scalar;
      }, this.vars);
      this.adam.apply(this.vars.map((v) => grads[v.name]), this.config.learningRate);
      const out = Array.from(tf.stack(kept).dataSync());
      tf.dispose(kept);
      return out;
    });
    this.iteration++;
    this.step++;
    return this.vae ? { rec: values[0], kl: values[1] } : { rec: values[0] };
  }

  private reconstructions(count: number): { images: DomainImages; rec: Uint8Array[] } | null {
    const images = this.data.test;
    if (!images || count === 0) return null;
    const [rec] = translateToBytes(images, count, (x) => [this.reconstruct(x)]);
    return { images, rec };
  }

  ssim(): Record<string, SsimSummary> {
    const r = this.reconstructions(this.config.ssimImages);
    if (!r) return {};
    return { real_vs_rec: ssimSummary(r.rec.map((_, i) => frameOf(r.images, i)), r.rec, r.images.size) };
  }

  async writeSamples(epoch: number): Promise<SampleMessage[]> {
    const r = this.reconstructions(this.config.sampleImages);
    if (!r) return [];
    const domain = this.config.domain;
    const samples: SampleImage[] = r.rec.flatMap((pixels, index) => [
      { domain, kind: 'real' as const, index, image: r.images.names[index], pixels: frameOf(r.images, index) },
      { domain, kind: 'rec' as const, index, image: r.images.names[index], pixels },
    ]);
    return writeSamples(this.ctx.input.runDir, epoch, this.config.imageSize, samples);
  }

  writeCheckpoint(epoch: number): Promise<WrittenCheckpoint> {
    return writeCheckpoint(this.ctx.input.runDir, {
      kind: this.config.kind,
      runId: this.ctx.input.runId,
      epoch,
      step: this.step,
      rng: this.rng.getState(),
      config: this.config,
      networks: { encoder: this.ae.encoder, decoder: this.ae.decoder, generator: this.ae.generator },
      optimizers: { ae: this.adam },
      pools: {},
    });
  }

  dispose(): void {
    this.ae.encoder.dispose();
    this.ae.decoder.dispose();
    this.ae.generator.dispose();
    this.adam.dispose();
  }
}
