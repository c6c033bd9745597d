import type { DatasetRef, GeneratorArch, TrainingCommon } from '../../training/protocol.js';
import type { BadImagePolicy } from '../enums.js';
import { checkImageSize, checkInt, checkOptionalInt, seedOrRandom } from './ranges.js';

interface TrainingCommonInput {
  imageSize: number;
  batchSize: number;
  seed?: number | null;
  maxTrainImages?: number | null;
  checkpointEvery: number;
  ssimEvery: number;
  ssimImages: number;
  sampleImages: number;
  onBadImage: BadImagePolicy;
}

/** Checks and copies the options every training run shares. */
export function checkTrainingCommon(input: TrainingCommonInput, dataset: DatasetRef): TrainingCommon {
  return {
    dataset,
    imageSize: checkImageSize('imageSize', input.imageSize),
    batchSize: checkInt('batchSize', input.batchSize, 1, 64),
    seed: seedOrRandom('seed', input.seed),
    maxTrainImages: checkOptionalInt('maxTrainImages', input.maxTrainImages, 1, 1_000_000),
    checkpointEvery: checkInt('checkpointEvery', input.checkpointEvery, 1, 10_000),
    ssimEvery: checkInt('ssimEvery', input.ssimEvery, 1, 10_000),
    ssimImages: checkInt('ssimImages', input.ssimImages, 1, 10_000),
    sampleImages: checkInt('sampleImages', input.sampleImages, 0, 64),
    onBadImage: input.onBadImage,
  };
}

export const checkGenerator = (input: { ngf: number; nBlocks: number }): GeneratorArch => ({
  ngf: checkInt('ngf', input.ngf, 1, 256),
  nBlocks: checkInt('nBlocks', input.nBlocks, 1, 12),
});
