// Run configs with the reference defaults (CycleGAN: pytorch-CycleGAN-and-pix2pix; AE:
// the paper), for callers that build a config in code: presets, benchmarks, tests.
import type { CycleGanConfig, DatasetRef, PretrainConfig, TrainingCommon } from './protocol.js';

export function commonDefaults(dataset: DatasetRef): TrainingCommon {
  return {
    dataset,
    imageSize: 32,
    batchSize: 1,
    seed: 1,
    maxTrainImages: null,
    checkpointEvery: 5,
    ssimEvery: 1,
    ssimImages: 32,
    sampleImages: 4,
    onBadImage: 'fail',
  };
}

export function cycleGanConfig(dataset: DatasetRef, overrides: Partial<CycleGanConfig> = {}): CycleGanConfig {
  return {
    ...commonDefaults(dataset),
    kind: 'CYCLEGAN',
    generator: { ngf: 64, nBlocks: 3 },
    discriminator: { ndf: 64, nLayers: 3 },
    epochs: 100,
    epochsDecay: 100,
    learningRate: 2e-4,
    beta1: 0.5,
    beta2: 0.999,
    lambdaCycle: 10,
    lambdaIdentity: 0.5,
    poolSize: 50,
    init: { gAB: { type: 'random' }, gBA: { type: 'random' } },
    ...overrides,
  };
}

export function pretrainConfig(dataset: DatasetRef, overrides: Partial<PretrainConfig> = {}): PretrainConfig {
  return {
    ...commonDefaults(dataset),
    kind: 'AE',
    domain: 'B',
    generator: { ngf: 64, nBlocks: 3 },
    latentSize: 16,
    epochs: 25,
    learningRate: 1e-6,
    vae: null,
    ...overrides,
  };
}
