import { cycleGanConfig } from '../../src/training/configs.js';
import type { CycleGanConfig, DatasetRef } from '../../src/training/protocol.js';

/** The smallest CycleGAN that still runs every part (16 px, ngf 4, one residual block), for fast tests. */
export function tinyCycleGanConfig(dataset: DatasetRef, overrides: Partial<CycleGanConfig> = {}): CycleGanConfig {
  return cycleGanConfig(dataset, {
    imageSize: 16,
    generator: { ngf: 4, nBlocks: 1 },
    discriminator: { ndf: 4, nLayers: 2 },
    epochs: 1,
    epochsDecay: 1,
    ssimImages: 2,
    sampleImages: 1,
    poolSize: 2,
    checkpointEvery: 1,
    ...overrides,
  });
}
