import { join } from 'node:path';
import type { LabConfig } from '../../config.js';
import { checkpointAt } from '../../store/checkpoints.js';
import type { LabDb } from '../../store/database.js';
import { findDataset } from '../../store/datasets.js';
import { listCheckpoints } from '../../store/checkpoints.js';
import type { CycleGanConfig, EvaluationConfig } from '../../training/protocol.js';
import { FeatureExtractor } from '../enums.js';
import { badUserInput, notFound } from '../errors.js';
import type { EvaluationInput } from '../inputs/evaluation-input.js';
import { checkInt, checkOptionalInt, seedOrRandom } from './ranges.js';
import { checkDatasetFolder, checkpointDir, datasetRef, requireLatestCheckpoint, requireRun } from './references.js';

export const featureCacheDir = (dataDir: string): string => join(dataDir, 'cache', 'features');

/** Validates an evaluateRun input and builds the worker's config; throws before anything is written. */
export function buildEvaluationConfig(db: LabDb, input: EvaluationInput, config: LabConfig): EvaluationConfig {
  const source = requireRun(db, 'runId', input.runId);
  if (source.kind !== 'CYCLEGAN') {
    throw badUserInput('runId', `runId must be a CYCLEGAN run; run "${source.id}" is a ${source.kind} run`);
  }
  const checkpoint =
    input.epoch === null || input.epoch === undefined
      ? requireLatestCheckpoint(db, 'runId', source)
      : checkpointAt(db, source.id, input.epoch);
  if (!checkpoint) {
    const epochs = listCheckpoints(db, source.id).map((c) => c.epoch);
    throw notFound('epoch', `epoch: run "${source.id}" has no checkpoint at epoch ${input.epoch} (checkpoints at: ${epochs.join(', ') || 'none'})`);
  }
  const cyclegan = source.config as CycleGanConfig;
  const dataset = findDataset(db, source.datasetId);
  if (!dataset) throw notFound('runId', `the dataset of run "${source.id}" no longer exists`);
  checkDatasetFolder('runId', dataset);
  if (input.extractor === FeatureExtractor.INCEPTION_V3 && !config.inceptionWeightsDir) {
    throw badUserInput(
      'extractor',
      'extractor INCEPTION_V3 needs InceptionV3 weights: start the server with LAB_INCEPTION_WEIGHTS_DIR set, or use RESNET50_IMAGENET',
    );
  }
  const maxImages = checkOptionalInt('maxImages', input.maxImages, 2, 1_000_000);
  const imagesUsed = Math.min(dataset.testA, dataset.testB, maxImages ?? Infinity);
  return {
    kind: 'EVALUATION',
    dataset: datasetRef(dataset),
    imageSize: cyclegan.imageSize,
    seed: seedOrRandom('seed', input.seed),
    sourceRunId: source.id,
    checkpointDir: checkpointDir(config.dataDir, checkpoint),
    sourceEpoch: checkpoint.epoch,
    generator: cyclegan.generator,
    extractor: input.extractor,
    inceptionWeightsDir: input.extractor === FeatureExtractor.INCEPTION_V3 ? config.inceptionWeightsDir : null,
    maxImages,
    kidSubsetSize: checkInt('kidSubsetSize', input.kidSubsetSize, 2, Math.max(2, imagesUsed)),
    kidSubsets: checkInt('kidSubsets', input.kidSubsets, 1, 10_000),
    featureCacheDir: featureCacheDir(config.dataDir),
  };
}
