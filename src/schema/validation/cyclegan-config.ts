import type { LabDb } from '../../store/database.js';
import type { CycleGanConfig, Domain, GeneratorArch, GeneratorInit, PretrainConfig } from '../../training/protocol.js';
import { badUserInput, conflict } from '../errors.js';
import type { CycleGanInput } from '../inputs/cyclegan-input.js';
import { checkRunMemory, cycleGanMemory } from './memory-estimate.js';
import { checkInt, checkNumber } from './ranges.js';
import { checkpointDir, datasetRef, requireDataset, requireLatestCheckpoint, requireRun } from './references.js';
import { checkGenerator, checkTrainingCommon } from './training-common.js';

/**
 * Most strided layers a PatchGAN can have on this image size: each 4x4 stride-2 conv
 * (padding 1) halves the side, and the two final stride-1 4x4 convs take 1 each off
 * it, which must leave a patch map of at least 1x1.
 */
export function maxDiscriminatorLayers(imageSize: number): number {
  let layers = 0;
  while (Math.floor(imageSize / 2 ** (layers + 1)) - 2 >= 1) layers++;
  return layers;
}

export interface CycleGanPlan {
  config: CycleGanConfig;
  /** Pretraining runs initialising G_AB and G_BA, when not random. */
  initGabRunId: string | null;
  initGbaRunId: string | null;
}

/** Validates a startCycleGan input and builds the worker's config; throws before anything is written. */
export function buildCycleGanConfig(db: LabDb, input: CycleGanInput, dataDir: string, runMemoryMb: number): CycleGanPlan {
  const dataset = requireDataset(db, 'datasetId', input.datasetId);
  const common = checkTrainingCommon(input, datasetRef(dataset));
  const generator = checkGenerator(input);
  const maxLayers = Math.min(5, maxDiscriminatorLayers(common.imageSize));
  if (!Number.isInteger(input.nLayers) || input.nLayers < 1 || input.nLayers > maxLayers) {
    throw badUserInput('nLayers', `nLayers must be an integer between 1 and ${maxLayers} at imageSize ${common.imageSize} (got ${input.nLayers})`);
  }
  const gAB = generatorInit(db, 'initB', input.initB, 'B', { datasetId: dataset.id, imageSize: common.imageSize, generator }, dataDir);
  const gBA = generatorInit(db, 'initA', input.initA, 'A', { datasetId: dataset.id, imageSize: common.imageSize, generator }, dataDir);
  const config: CycleGanConfig = {
    ...common,
    kind: 'CYCLEGAN',
    generator,
    discriminator: { ndf: checkInt('ndf', input.ndf, 1, 256), nLayers: input.nLayers },
    epochs: checkInt('epochs', input.epochs, 1, 10_000),
    epochsDecay: checkInt('epochsDecay', input.epochsDecay, 0, 10_000),
    learningRate: checkNumber('learningRate', input.learningRate, 0, 1, { minExclusive: true }),
    beta1: checkNumber('beta1', input.beta1, 0, 1, { maxExclusive: true }),
    beta2: checkNumber('beta2', input.beta2, 0, 1, { maxExclusive: true }),
    lambdaCycle: checkNumber('lambdaCycle', input.lambdaCycle, 0, 1000),
    lambdaIdentity: checkNumber('lambdaIdentity', input.lambdaIdentity, 0, 10),
    poolSize: checkInt('poolSize', input.poolSize, 0, 1000),
    init: { gAB, gBA },
  };
  const memory = cycleGanMemory(
    { imageSize: config.imageSize, batchSize: config.batchSize, ...config.generator, ...config.discriminator, poolSize: config.poolSize },
    dataset.trainA + dataset.trainB + dataset.testA + dataset.testB,
  );
  checkRunMemory(memory, runMemoryMb, ['imageSize', 'batchSize', 'ngf', 'nBlocks', 'ndf', 'nLayers']);
  return {
    config,
    initGabRunId: gAB.type === 'pretrained' ? gAB.runId : null,
    initGbaRunId: gBA.type === 'pretrained' ? gBA.runId : null,
  };
}

interface GeneratorShape {
  datasetId: string;
  imageSize: number;
  generator: GeneratorArch;
}

/** A generator's initialisation: random, or the generator of a finished AE/VAE run trained on the domain it outputs. */
function generatorInit(
  db: LabDb,
  field: string,
  runId: string | null | undefined,
  outputs: Domain,
  shape: GeneratorShape,
  dataDir: string,
): GeneratorInit {
  if (runId === null || runId === undefined) return { type: 'random' };
  const run = requireRun(db, field, runId);
  if (run.kind !== 'AE' && run.kind !== 'VAE') {
    throw badUserInput(field, `${field} must be an AE or VAE run; run "${runId}" is a ${run.kind} run`);
  }
  if (run.status !== 'SUCCEEDED') {
    throw conflict(`${field}: pretraining run "${runId}" is ${run.status}; only a SUCCEEDED run can initialise a generator`, field);
  }
  const pre = run.config as PretrainConfig;
  const mismatch = (what: string, theirs: unknown, ours: unknown): never => {
    throw badUserInput(field, `${field}: pretraining run "${runId}" has ${what} ${String(theirs)}, this CycleGAN ${String(ours)}; they must match`);
  };
  if (pre.domain !== outputs) {
    throw badUserInput(field, `${field} must be a run trained on domain ${outputs} (its generator outputs ${outputs}); run "${runId}" was trained on domain ${pre.domain}`);
  }
  if (run.datasetId !== shape.datasetId) mismatch('dataset', run.datasetId, shape.datasetId);
  if (pre.imageSize !== shape.imageSize) mismatch('imageSize', pre.imageSize, shape.imageSize);
  if (pre.generator.ngf !== shape.generator.ngf) mismatch('ngf', pre.generator.ngf, shape.generator.ngf);
  if (pre.generator.nBlocks !== shape.generator.nBlocks) mismatch('nBlocks', pre.generator.nBlocks, shape.generator.nBlocks);
  const checkpoint = requireLatestCheckpoint(db, field, run);
  return { type: 'pretrained', runId: run.id, checkpointDir: checkpointDir(dataDir, checkpoint) };
}
