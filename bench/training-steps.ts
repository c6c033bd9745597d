// The training steps the speed benchmarks time (bench/train.ts, bench/vs-pytorch.ts), batch 1:
// one generator step, one discriminator step and one full CycleGAN iteration (the real
// CycleGanTrainer), on the bundled apple2orange images resized to the asked size.
import * as tf from '@tensorflow/tfjs';
import { Adam } from '../src/training/adam.js';
import { cycleGanConfig } from '../src/training/configs.js';
import { ADAM_EPSILON, CycleGanTrainer } from '../src/training/cyclegan-trainer.js';
import { imagesToTensor, loadDomainImages, type Split } from '../src/training/data.js';
import { l1Loss, lsganLoss } from '../src/training/losses.js';
import { buildPatchDiscriminator } from '../src/training/networks/patch-discriminator.js';
import { buildResnetGenerator } from '../src/training/networks/resnet-generator.js';
import { initWeights } from '../src/training/networks/init-weights.js';
import { recordingContext } from '../src/training/recording-context.js';
import { Rng } from '../src/training/rng.js';
import type { BackendName } from '../src/training/protocol.js';
import { bundledDatasetRoot } from '../src/paths.js';

/** The reference CycleGAN's optimiser settings. */
const LR = 2e-4;
const ADAM = { beta1: 0.5, beta2: 0.999, epsilon: ADAM_EPSILON };
const DISCRIMINATOR_LAYERS = 3;

export interface StepShape {
  /** Square image side. */
  size: number;
  /** Generator width; the discriminator's ndf is the same. */
  ngf: number;
  /** Residual blocks of the generator. */
  nBlocks: number;
}

export interface TrainingStep {
  /** One training step; returns when its results are computed. */
  run(): void;
  /** Trainable parameters of one network of each kind the step trains. */
  params: { generator?: number; discriminator?: number };
  dispose(): void;
}

const dataset = { id: 'bench', name: 'apple2orange-32', root: bundledDatasetRoot() };

async function twoImages(split: Split, size: number): Promise<[tf.Tensor4D, tf.Tensor4D]> {
  const images = await loadDomainImages(dataset.root, split, size, { maxImages: 2 });
  return [imagesToTensor(images, [0]), imagesToTensor(images, [1])];
}

const variablesOf = (model: tf.LayersModel): tf.Variable[] => model.trainableWeights.map((w) => w.read() as tf.Variable);

/** L1(G(x), y), backward, Adam step. */
export async function generatorStep(shape: StepShape): Promise<TrainingStep> {
  const g = buildResnetGenerator({ ngf: shape.ngf, nBlocks: shape.nBlocks }, shape.size, 'bench_g');
  initWeights(g, new Rng(1));
  const vars = variablesOf(g);
  const adam = new Adam(vars, ADAM);
  const [x, y] = await twoImages('trainA', shape.size);
  return {
    run: () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => l1Loss(g.apply(x) as tf.Tensor, y), vars);
        adam.apply(vars.map((v) => grads[v.name]), LR);
        value.dataSync();
      }),
    params: { generator: g.countParams() },
    dispose: () => {
      tf.dispose([x, y]);
      adam.dispose();
      g.dispose();
    },
  };
}

/**
 * 0.5 * (LSGAN(D(real), 1) + LSGAN(D(fake), 0)), backward, Adam step; real and fake in one
 * batched call as CycleGanTrainer does. A domain-A image stands in for a generated one.
 */
export async function discriminatorStep(shape: StepShape): Promise<TrainingStep> {
  const d = buildPatchDiscriminator({ ndf: shape.ngf, nLayers: DISCRIMINATOR_LAYERS }, shape.size, 'bench_d');
  initWeights(d, new Rng(2));
  const vars = variablesOf(d);
  const adam = new Adam(vars, ADAM);
  const [real, other] = await twoImages('trainB', shape.size);
  const [fake, other2] = await twoImages('trainA', shape.size);
  tf.dispose([other, other2]);
  return {
    run: () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const [pReal, pFake] = tf.split(d.apply(tf.concat([real, fake])) as tf.Tensor, 2);
          return tf.mul(tf.add(lsganLoss(pReal, true), lsganLoss(pFake, false)), 0.5) as tf.Scalar;
        }, vars);
        adam.apply(vars.map((v) => grads[v.name]), LR);
        value.dataSync();
      }),
    params: { discriminator: d.countParams() },
    dispose: () => {
      tf.dispose([real, fake]);
      adam.dispose();
      d.dispose();
    },
  };
}

/** CycleGanTrainer.trainIteration: both generators, then both discriminators on pooled fakes. */
export async function cycleGanIteration(backend: BackendName, shape: StepShape): Promise<TrainingStep> {
  const config = cycleGanConfig(dataset, {
    imageSize: shape.size,
    generator: { ngf: shape.ngf, nBlocks: shape.nBlocks },
    discriminator: { ndf: shape.ngf, nLayers: DISCRIMINATOR_LAYERS },
    maxTrainImages: 16,
    ssimImages: 0,
    sampleImages: 0,
  });
  const ctx = recordingContext({ runId: 'bench', config, backend, runDir: '/nonexistent', resumeFrom: null }, backend);
  const trainer = await CycleGanTrainer.create(ctx);
  let done = 0;
  return {
    run: () => {
      // A new pass over the 16 images when one ends (a permutation: negligible next to a step).
      if (done++ % trainer.iterationsPerEpoch === 0) trainer.startEpoch(1);
      trainer.trainIteration();
    },
    params: { generator: trainer.nets.gAB.countParams(), discriminator: trainer.nets.dA.countParams() },
    dispose: () => trainer.dispose(),
  };
}

export interface StepTimes {
  /** Wall-clock ms of each timed step. */
  wall: number[];
  /** CPU ms of this process for each timed step: steadier than wall time on a shared machine. */
  cpu: number[];
}

/** Runs `step` `warmup` times untimed, then `n` times timed. */
export function timeSteps(step: () => void, n: number, warmup: number): StepTimes {
  for (let i = 0; i < warmup; i++) step();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    step();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall, cpu };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
