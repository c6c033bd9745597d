import { GraphQLError } from 'graphql';

// Up-front memory estimate of a training run, so that a configuration that cannot fit is
// refused with BAD_USER_INPUT naming its fields instead of crashing its worker later (the
// wasm backend's heap ends at 4 GiB, where TF.js fails with "memory access out of bounds").
//
// Parameters are counted exactly (the formulas match the network builders in
// src/training/networks; tests/reliability-memory.test.ts checks them against countParams).
// Activations are counted as the elements of every layer output a forward pass keeps for
// the backward pass; a backward pass needs ACTIVATION_OVERHEAD floats per such element plus
// BACKWARD_FLOATS_PER_PARAMETER per parameter it trains, two factors fitted to the peak
// tensor bytes of real training iterations on the wasm backend (refitted when the fused
// wasm kernels cut the temporaries; tests/reliability-memory.test.ts checks that the
// estimate stays within 0.9 to 1.4 times the measured peak).

/** Bytes per float32. */
const F32 = 4;
/** Weights and Adam's two moments. */
const KEPT_FLOATS_PER_PARAMETER = 3;
/**
 * The optimizer update: the gradients and the new weights (src/training/adam.ts updates one
 * variable at a time, so its temporaries are those of the largest variable only).
 */
const UPDATE_FLOATS_PER_PARAMETER = 2;
/**
 * Transient floats of a backward pass per element of the layer outputs its forward passes
 * keep: the outputs, their gradients, instance-norm and loss intermediates, kernel scratch.
 */
export const ACTIVATION_OVERHEAD = 3;
/** Transient floats of a backward pass per parameter: gradients, filter copies, patch matrices. */
const BACKWARD_FLOATS_PER_PARAMETER = 5;

const sq = (n: number): number => n * n;

/** Parameters of the ResNet generator (c7s1-ngf, d2ngf, d4ngf, R4ngf x nBlocks, u2ngf, ungf, c7s1-3). */
export function generatorParameters(ngf: number, nBlocks: number): number {
  const conv = (k: number, cin: number, cout: number): number => k * k * cin * cout + cout;
  return (
    conv(7, 3, ngf) +
    conv(3, ngf, 2 * ngf) +
    conv(3, 2 * ngf, 4 * ngf) +
    nBlocks * 2 * conv(3, 4 * ngf, 4 * ngf) +
    conv(3, 4 * ngf, 2 * ngf) +
    conv(3, 2 * ngf, ngf) +
    conv(7, ngf, 3)
  );
}

/** Parameters of the PatchGAN discriminator (C(ndf), nLayers-1 strided convs, one stride-1 conv, 1-channel conv). */
export function discriminatorParameters(ndf: number, nLayers: number): number {
  const width = (n: number): number => ndf * Math.min(2 ** n, 8);
  const conv = (cin: number, cout: number): number => 16 * cin * cout + cout;
  let total = conv(3, ndf);
  for (let n = 1; n <= nLayers; n++) total += conv(width(n - 1), width(n));
  return total + conv(width(nLayers), 1);
}

/** The autoencoder's encoder and decoder width (src/training/networks/autoencoder.ts). */
const autoencoderWidth = (ngf: number): number => Math.round(1.5 * ngf);

/** Parameters of the pretraining autoencoder: encoder, decoder and the ResNet generator. */
export function autoencoderParameters(ngf: number, nBlocks: number, latentSize: number, imageSize: number, variational: boolean): number {
  const c = autoencoderWidth(ngf);
  const conv = (cin: number, cout: number): number => 9 * cin * cout + cout;
  const flat = sq(imageSize / 8) * 2 * c;
  const encoder = conv(3, c) + conv(c, c) + conv(c, 2 * c) + 2 * conv(2 * c, 2 * c) + (variational ? 2 : 1) * (flat * latentSize + latentSize);
  const decoder = latentSize * flat + flat + 2 * conv(2 * c, 2 * c) + conv(2 * c, c) + conv(c, c) + conv(c, 3);
  return encoder + decoder + generatorParameters(ngf, nBlocks);
}

/** Elements of the layer outputs of one generator forward pass on one image. */
function generatorActivations(size: number, ngf: number, nBlocks: number): number {
  const block = (side: number, channels: number, padded: number, inChannels: number): number => sq(padded) * inChannels + 3 * sq(side) * channels;
  const quarter = size / 4;
  const residual = 2 * sq(quarter + 2) * 4 * ngf + 5 * sq(quarter) * 4 * ngf;
  const up = (side: number, channels: number): number => sq(side + 1) * channels + 3 * sq(side) * channels;
  return (
    block(size, ngf, size + 6, 3) +
    block(size / 2, 2 * ngf, size + 2, ngf) +
    block(quarter, 4 * ngf, size / 2 + 2, 2 * ngf) +
    nBlocks * residual +
    up(size / 2, 2 * ngf) +
    up(size, ngf) +
    sq(size + 6) * ngf +
    2 * sq(size) * 3
  );
}

/** Elements of the layer outputs of one discriminator forward pass on one image. */
function discriminatorActivations(size: number, ndf: number, nLayers: number): number {
  const width = (n: number): number => ndf * Math.min(2 ** n, 8);
  let side = size;
  let channels = 3;
  let total = 0;
  const conv = (cout: number, stride: number, normed: boolean): void => {
    total += sq(side + 2) * channels;
    side = Math.floor((side + 2 - 4) / stride) + 1;
    channels = cout;
    total += (normed ? 3 : 2) * sq(side) * cout;
  };
  conv(ndf, 2, false);
  for (let n = 1; n < nLayers; n++) conv(width(n), 2, true);
  conv(width(nLayers), 1, true);
  conv(1, 1, false);
  return total;
}

/** Elements of the layer outputs of one autoencoder forward pass (encoder, decoder, generator) on one image. */
function autoencoderActivations(size: number, ngf: number, nBlocks: number): number {
  const c = autoencoderWidth(ngf);
  const half = sq(size / 2);
  const quarter = sq(size / 4);
  const eighth = sq(size / 8);
  // Each conv keeps its zero-padded input, its output and its GELU output.
  const encoder = 2 * (sq(size) * 3 + 2 * half * c) + 2 * (half * c + 2 * quarter * 2 * c) + 2 * (quarter * 2 * c + 2 * eighth * 2 * c);
  const decoder = 2 * eighth * 2 * c + 4 * quarter * 2 * c + 4 * half * c + 3 * sq(size) * 3;
  return encoder + decoder + generatorActivations(size, ngf, nBlocks);
}

export interface MemoryEstimate {
  /** Everything below, in bytes. */
  bytes: number;
  parameters: number;
  /** Weights and Adam moments, kept for the whole run. */
  parameterBytes: number;
  /** The largest transient memory of an iteration: activations and gradients, or the optimizer update. */
  transientBytes: number;
  /** Image pools of past fakes (CycleGAN) and the decoded training and test images. */
  imageBytes: number;
}

/** One gradient step of a training iteration: the parameters it updates and the layer outputs its forward passes keep. */
interface Phase {
  parameters: number;
  activations: number;
}

/** Largest transient floats of the phases: backward pass (activations and gradients) or optimizer update. */
const transientFloats = (phases: Phase[]): number =>
  Math.max(...phases.map((p) => Math.max(ACTIVATION_OVERHEAD * p.activations + BACKWARD_FLOATS_PER_PARAMETER * p.parameters, UPDATE_FLOATS_PER_PARAMETER * p.parameters)));

function estimate(phases: Phase[], imageBytes: number): MemoryEstimate {
  const parameters = phases.reduce((n, p) => n + p.parameters, 0);
  const parameterBytes = parameters * KEPT_FLOATS_PER_PARAMETER * F32;
  const transientBytes = Math.ceil(transientFloats(phases) * F32);
  return { bytes: parameterBytes + transientBytes + imageBytes, parameters, parameterBytes, transientBytes, imageBytes };
}

export interface CycleGanShape {
  imageSize: number;
  batchSize: number;
  ngf: number;
  nBlocks: number;
  ndf: number;
  nLayers: number;
  poolSize: number;
}

export interface PretrainShape {
  imageSize: number;
  batchSize: number;
  ngf: number;
  nBlocks: number;
  latentSize: number;
  variational: boolean;
}

/**
 * A CycleGAN iteration: the generator step runs each generator on 2 x batchSize images
 * (translation and identity, batched) plus batchSize reconstructions, and each
 * discriminator on batchSize fakes; the discriminator step then runs each discriminator
 * on batchSize real and batchSize pooled fake images. `datasetImages`: decoded images of
 * all four folders.
 */
export function cycleGanMemory(shape: CycleGanShape, datasetImages: number): MemoryEstimate {
  const { imageSize: s, batchSize: b } = shape;
  const discriminator = discriminatorActivations(s, shape.ndf, shape.nLayers);
  const generatorStep = { parameters: 2 * generatorParameters(shape.ngf, shape.nBlocks), activations: 6 * b * generatorActivations(s, shape.ngf, shape.nBlocks) + 2 * b * discriminator };
  const discriminatorStep = { parameters: 2 * discriminatorParameters(shape.ndf, shape.nLayers), activations: 4 * b * discriminator };
  return estimate([generatorStep, discriminatorStep], 2 * shape.poolSize * sq(s) * 3 * F32 + datasetImages * sq(s) * 3);
}

/** An AE/VAE iteration: one autoencoder forward and backward pass on batchSize images. */
export function pretrainMemory(shape: PretrainShape, datasetImages: number): MemoryEstimate {
  const { imageSize: s, batchSize: b } = shape;
  const step = {
    parameters: autoencoderParameters(shape.ngf, shape.nBlocks, shape.latentSize, s, shape.variational),
    activations: b * autoencoderActivations(s, shape.ngf, shape.nBlocks),
  };
  return estimate([step], datasetImages * sq(s) * 3);
}

const megabytes = (bytes: number): string => `${Math.ceil(bytes / 2 ** 20)} MB`;

/**
 * Refuses a run whose estimate exceeds the memory a run may use, with BAD_USER_INPUT
 * naming the fields that size it (`fields`; extensions.field is the first).
 */
export function checkRunMemory(memory: MemoryEstimate, limitMb: number, fields: readonly string[]): void {
  if (memory.bytes <= limitMb * 2 ** 20) return;
  throw new GraphQLError(
    `this run would need about ${megabytes(memory.bytes)} of memory (parameters and optimizer state ${megabytes(memory.parameterBytes)}, ` +
      `largest training step ${megabytes(memory.transientBytes)}, images ${megabytes(memory.imageBytes)}), more than the ${limitMb} MB ` +
      `a run may use (LAB_RUN_MEMORY_MB): lower ${fields.slice(0, -1).join(', ')} or ${fields.at(-1)}`,
    { extensions: { code: 'BAD_USER_INPUT', field: fields[0], fields, estimatedMb: Math.ceil(memory.bytes / 2 ** 20), limitMb } },
  );
}
