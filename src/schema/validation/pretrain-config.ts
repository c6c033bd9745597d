import type { LabDb } from '../../store/database.js';
import type { PretrainConfig } from '../../training/protocol.js';
import { PretrainKind } from '../enums.js';
import { badUserInput } from '../errors.js';
import type { PretrainingInput } from '../inputs/pretraining-input.js';
import { checkGenerator, checkTrainingCommon } from './training-common.js';
import { checkRunMemory, pretrainMemory } from './memory-estimate.js';
import { checkInt, checkNumber } from './ranges.js';
import { datasetRef, requireDataset } from './references.js';

/** The encoder halves the image three times (src/training/networks/autoencoder.ts). */
const AE_SIZE_MULTIPLE = 8;

/** Validates a startPretraining input and builds the worker's config; throws before anything is written. */
export function buildPretrainConfig(db: LabDb, input: PretrainingInput, runMemoryMb: number): PretrainConfig {
  const dataset = requireDataset(db, 'datasetId', input.datasetId);
  const common = checkTrainingCommon(input, datasetRef(dataset));
  if (common.imageSize % AE_SIZE_MULTIPLE !== 0) {
    throw badUserInput('imageSize', `imageSize must be a multiple of ${AE_SIZE_MULTIPLE} for an autoencoder (got ${input.imageSize})`);
  }
  if (input.kind !== PretrainKind.VAE && input.vae) {
    throw badUserInput('vae', 'vae options are only allowed with kind VAE');
  }
  const vae = input.kind === PretrainKind.VAE ? (input.vae ?? { klWeight: 1, klWarmupEpochs: 10, freeBits: 0.5 }) : null;
  const config: PretrainConfig = {
    ...common,
    kind: input.kind,
    domain: input.domain,
    generator: checkGenerator(input),
    latentSize: checkInt('latentSize', input.latentSize, 1, 1024),
    epochs: checkInt('epochs', input.epochs, 1, 10_000),
    learningRate: checkNumber('learningRate', input.learningRate, 0, 1, { minExclusive: true }),
    vae: vae && {
      klWeight: checkNumber('vae.klWeight', vae.klWeight, 0, 100),
      klWarmupEpochs: checkInt('vae.klWarmupEpochs', vae.klWarmupEpochs, 0, 10_000),
      freeBits: checkNumber('vae.freeBits', vae.freeBits, 0, 100),
    },
  };
  const images = config.domain === 'A' ? dataset.trainA + dataset.testA : dataset.trainB + dataset.testB;
  const memory = pretrainMemory({ imageSize: config.imageSize, batchSize: config.batchSize, ...config.generator, latentSize: config.latentSize, variational: vae !== null }, images);
  checkRunMemory(memory, runMemoryMb, ['imageSize', 'batchSize', 'ngf', 'nBlocks', 'latentSize']);
  return config;
}
