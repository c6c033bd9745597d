// The contract between the scheduler (main thread) and a training worker.
// Configs arrive here already validated (src/schema validates user input); the worker
// trusts them. Every message a worker posts is stored by the main thread first and only
// then published to subscribers.

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;
export type Domain = 'A' | 'B';

/** TF.js's wasm backend never uses more threads than this (its prebuilt pthread pool). */
export const MAX_WASM_THREADS = 8;

export interface DatasetRef {
  id: string;
  name: string;
  /** Absolute folder holding trainA trainB testA testB. */
  root: string;
}

export interface GeneratorArch {
  /** Filters of the first layer (reference default 64). */
  ngf: number;
  /** Residual blocks (paper: 3; reference offers 6 or 9). */
  nBlocks: number;
}

export interface DiscriminatorArch {
  ndf: number;
  nLayers: number;
}

/** Options shared by every training run. */
export interface TrainingCommon {
  dataset: DatasetRef;
  /** Square side in pixels, divisible by 4. */
  imageSize: number;
  batchSize: number;
  seed: number;
  /** Use only the first N training images of each domain (null: all). */
  maxTrainImages: number | null;
  /** Write a checkpoint every N epochs (the last epoch always gets one). */
  checkpointEvery: number;
  /** Compute SSIM on the fixed test subset every N epochs (1: every epoch). */
  ssimEvery: number;
  /** Size of the fixed test subset used for per-epoch SSIM. */
  ssimImages: number;
  /** Number of fixed test images written as sample PNGs each epoch. */
  sampleImages: number;
  /** Corrupt or unreadable image files: fail the run (default) or skip and count them. */
  onBadImage: 'fail' | 'skip';
}

export interface VaeOptions {
  /** Final weight of the KL term. */
  klWeight: number;
  /** Epochs over which the KL weight ramps linearly from 0 to klWeight. */
  klWarmupEpochs: number;
  /** Free bits: minimum KL (nats) per latent dimension before it is penalised. */
  freeBits: number;
}

export interface PretrainConfig extends TrainingCommon {
  kind: 'AE' | 'VAE';
  /** Domain the autoencoder reconstructs; its generator later outputs this domain. */
  domain: Domain;
  generator: GeneratorArch;
  latentSize: number;
  epochs: number;
  learningRate: number;
  /** Present when kind is VAE. */
  vae: VaeOptions | null;
}

export type GeneratorInit =
  | { type: 'random' }
  /** The generator inside a finished AE/VAE run, read from its final checkpoint. */
  | { type: 'pretrained'; runId: string; checkpointDir: string };

export interface CycleGanConfig extends TrainingCommon {
  kind: 'CYCLEGAN';
  generator: GeneratorArch;
  discriminator: DiscriminatorArch;
  /** Epochs at the initial learning rate. */
  epochs: number;
  /** Epochs of linear decay to zero after them. */
  epochsDecay: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  lambdaCycle: number;
  /** Identity loss weight, as a fraction of lambdaCycle (reference 0.5). */
  lambdaIdentity: number;
  poolSize: number;
  /** G_AB maps A to B (initialise from the AE trained on B); G_BA maps B to A. */
  init: { gAB: GeneratorInit; gBA: GeneratorInit };
}

export type FeatureExtractorName = 'resnet50-imagenet' | 'inception-v3';

export interface EvaluationConfig {
  kind: 'EVALUATION';
  dataset: DatasetRef;
  imageSize: number;
  seed: number;
  /** The CycleGAN run being evaluated and the checkpoint to load. */
  sourceRunId: string;
  checkpointDir: string;
  sourceEpoch: number;
  generator: GeneratorArch;
  extractor: FeatureExtractorName;
  /** Folder with InceptionV3 weights (TF.js format); required for inception-v3. */
  inceptionWeightsDir: string | null;
  /** Use the first N test images of each domain (null: all). */
  maxImages: number | null;
  kidSubsetSize: number;
  kidSubsets: number;
  /** Where real-image features are cached per dataset, size and extractor. */
  featureCacheDir: string;
}

export type RunConfig = PretrainConfig | CycleGanConfig | EvaluationConfig;
export type RunKind = RunConfig['kind'];

/** What the scheduler hands to a new worker (workerData). */
export interface WorkerInput {
  runId: string;
  config: RunConfig;
  backend: BackendChoice;
  /** Threads of the wasm backend (src/training/wasm-threads.ts); absent: 1. */
  wasmThreads?: number;
  /** Folder owned by this run: checkpoints/ and samples/ are written below it. */
  runDir: string;
  /** Resume from this checkpoint folder (written by an earlier attempt of the same run). */
  resumeFrom: string | null;
  /** Folder where decoded training images are cached per dataset and size (absent or null: no cache). */
  imageCacheDir?: string | null;
}

export type SampleKind = 'real' | 'fake' | 'rec' | 'idt';
export type Comparison = 'REAL_VS_FAKE' | 'REC_VS_FAKE' | 'REAL_VS_REC';
export type MetricName = 'SSIM' | 'FID' | 'KID' | 'FD' | 'KID-ResNet50' | 'FD-ResNet50';

export interface SsimSummary {
  mean: number;
  std: number;
  n: number;
}

export interface EvaluationValue {
  metric: MetricName;
  comparison: Comparison;
  domain: Domain;
  value: number;
  std: number | null;
  n: number;
  extractor: FeatureExtractorName | null;
  resize: string | null;
  warning: string | null;
  /** Per-image scores (SSIM only), for box plots. */
  imageScores: { image: string; value: number }[] | null;
}

/** Messages from a worker to the main thread. */
export type WorkerMessage =
  | {
      type: 'started';
      backend: BackendName;
      epochsTotal: number;
      iterationsPerEpoch: number;
      resumedAtEpoch: number;
      /** Unreadable image files left out under onBadImage 'skip' (absent when none). */
      skippedImages?: { file: string; reason: string }[];
    }
  | { type: 'progress'; epoch: number; iteration: number; iterationsPerEpoch: number; etaSeconds: number | null }
  | {
      type: 'epoch';
      epoch: number;
      /** Every loss of the run, averaged over the epoch (e.g. G_A, D_A, cycle_A, idt_A ... or rec, kl). */
      losses: Record<string, number>;
      lr: number;
      /** e.g. { real_vs_fake_A: {...}, real_vs_rec_A: {...} } for CycleGAN, { real_vs_rec: ... } for AE. */
      ssim: Record<string, SsimSummary> | null;
      durationMs: number;
    }
  | { type: 'metric_points'; points: { step: number; name: string; value: number }[] }
  /**
   * A sample PNG written under runDir/samples/. `domain` is the domain of the real test image
   * `image` (its file name); for CycleGAN, fake = translated, rec = translated back,
   * idt = passed through the generator that outputs its own domain. AE/VAE: real and rec.
   */
  | { type: 'sample'; epoch: number; domain: Domain; kind: SampleKind; index: number; image: string; path: string }
  | { type: 'checkpoint'; epoch: number; path: string; bytes: number; sha256: string }
  | { type: 'evaluation'; epoch: number; split: 'test'; values: EvaluationValue[] }
  | { type: 'done' }
  /** The run stopped after a cancel request (between iterations); nothing follows. */
  | { type: 'cancelled' }
  | { type: 'failed'; error: string };

/** Messages from the main thread to a worker. */
export type ControlMessage = { type: 'cancel' };

/** What a run implementation (pretraining, CycleGAN, evaluation) gets inside the worker. */
export interface RunContext {
  input: WorkerInput;
  /** The TF.js backend actually in use. */
  backend: BackendName;
  post(message: WorkerMessage): void;
  /** True once the main thread asked to cancel; checked between iterations. */
  isCancelled(): boolean;
}
