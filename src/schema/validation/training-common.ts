import type { DatasetRef, GeneratorArch, TrainingCommon } from '../../training/protocol.js';
import type { BadImagePolicy } from '../enums.js';
import { checkImageSize, checkInt, checkOptionalInt, seedOrRandom } from './ranges.js';

interface TrainingCommonInput {
  imageSize: number;
  batchSize: number;
  seed?: number | null;
  maxTrainImages?: number | null;
  checkpointEvery?: number | null;
  ssimEvery: number;
  ssimImages: number;
  sampleImages: number;
  onBadImage: BadImagePolicy;
}

/**
 * Checkpoint interval when none is given. A checkpoint holds the weights and Adam moments
 * (about 170 MB for the paper's CycleGAN, whatever the image size). Up to 32x32 (the
 * paper's setting, 15 epochs by default) it is written every epoch, which costs seconds per
 * epoch of many minutes and bounds what a crash loses to one epoch; larger images keep
 * every 5 epochs to bound the disk use of long runs.
 */
export const defaultCheckpointEvery = (imageSize: number): number => (imageSize <= 32 ? 1 : 5);

/** Checks and copies the options every training run shares. */
export function checkTrainingCommon(input: TrainingCommonInput, dataset: DatasetRef): TrainingCommon {
  const imageSize = checkImageSize('imageSize', input.imageSize);
  return {
    dataset,
    imageSize,
    batchSize: checkInt('batchSize', input.batchSize, 1, 64),
    seed: seedOrRandom('seed', input.seed),
    maxTrainImages: checkOptionalInt('maxTrainImages', input.maxTrainImages, 1, 1_000_000),
    checkpointEvery:
      input.checkpointEvery === null || input.checkpointEvery === undefined
        ? defaultCheckpointEvery(imageSize)
        : checkInt('checkpointEvery', input.checkpointEvery, 1, 10_000),
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
