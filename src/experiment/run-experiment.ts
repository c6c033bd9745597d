import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabClient, RunEvent, RunResults, RunState } from '../../client/index.js';
import type { Comparison, Domain, SampleKind } from '../training/protocol.js';
import type { EpochRow, EvaluationRow, ExperimentResults, ModelResult, PretrainingResult, SampleRow } from '../report/results.js';
import { writeReport } from '../report/write-report.js';
import type { ExperimentPreset } from './preset.js';

/** What the experiment reports while it runs (progress bars in the CLI, nothing in tests). */
export interface ExperimentObserver {
  runStarted(runId: string, label: string, kind: 'PRETRAINING' | 'CYCLEGAN' | 'EVALUATION'): void;
  runEvent(runId: string, event: RunEvent): void;
  runFinished(runId: string, state: RunState): void;
  log(line: string): void;
}

export interface ExperimentOptions {
  client: LabClient;
  preset: ExperimentPreset;
  /** Folder for report.md, figures and downloaded samples. */
  reportDir: string;
  /** Base URL of the server, to download sample PNGs. */
  serverUrl: string;
  observer?: ExperimentObserver;
}

export interface ExperimentOutcome {
  reportPath: string;
  results: ExperimentResults;
  /** Every run the experiment started, in start order. */
  runIds: string[];
}

const LABEL_RANDOM = 'random init';
const LABEL_AE = 'AE init';

/**
 * The paper's experiment through the product's own API: per seed, an AE (or VAE) on each
 * domain and a randomly initialised CycleGAN are queued at once; when both AEs finish, the
 * AE-initialised CycleGAN is queued; each CycleGAN is evaluated on the test split when it
 * finishes; then the report is written from what the server stored.
 */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentOutcome> {
  const { client, preset, observer } = options;
  const started = new Date();
  const datasetId = await client.datasetId(preset.dataset);
  const runIds: string[] = [];
  const tags = (seed: number) => [`experiment:${preset.name}`, `seed:${seed}`];

  const watch = async (runId: string, label: string, kind: 'PRETRAINING' | 'CYCLEGAN' | 'EVALUATION'): Promise<RunState> => {
    runIds.push(runId);
    observer?.runStarted(runId, label, kind);
    const state = await client.waitForRun(runId, (event) => observer?.runEvent(runId, event));
    observer?.runFinished(runId, state);
    if (state.status !== 'SUCCEEDED') {
      throw new Error(`${label} (run ${runId}) ended ${state.status}${state.error ? `: ${state.error}` : ''}`);
    }
    return state;
  };

  const trainAndEvaluate = async (seed: number, label: string, startCycleGan: () => Promise<{ id: string }>): Promise<string> => {
    const run = await startCycleGan();
    await watch(run.id, `CycleGAN ${label} s${seed}`, 'CYCLEGAN');
    const evaluation = await client.evaluateRun({
      runId: run.id,
      extractor: preset.evaluation.extractor,
      maxImages: preset.evaluation.maxImages,
      kidSubsetSize: preset.evaluation.kidSubsetSize,
      kidSubsets: preset.evaluation.kidSubsets,
      seed,
      tags: tags(seed),
    });
    await watch(evaluation.id, `evaluate ${label} s${seed}`, 'EVALUATION');
    return run.id;
  };

  const cycleGanInput = (seed: number, initA: string | null, initB: string | null) => ({
    datasetId,
    imageSize: preset.imageSize,
    ngf: preset.cycleGan.ngf,
    nBlocks: preset.cycleGan.nBlocks,
    ndf: preset.cycleGan.ndf,
    nLayers: preset.cycleGan.nLayers,
    epochs: preset.cycleGan.epochs,
    epochsDecay: preset.cycleGan.epochsDecay,
    learningRate: preset.cycleGan.learningRate,
    batchSize: preset.cycleGan.batchSize,
    maxTrainImages: preset.cycleGan.maxTrainImages,
    ssimEvery: preset.cycleGan.ssimEvery,
    checkpointEvery: 1,
    sampleImages: 8,
    seed,
    initA,
    initB,
    tags: [...tags(seed), initA || initB ? 'init:ae' : 'init:random'],
  });

  const perSeed = preset.seeds.map(async (seed) => {
    const pretrain = (domain: Domain) =>
      client.startPretraining({
        datasetId,
        domain,
        kind: preset.pretraining.kind,
        imageSize: preset.imageSize,
        ngf: preset.pretraining.ngf,
        nBlocks: preset.pretraining.nBlocks,
        latentSize: preset.pretraining.latentSize,
        epochs: preset.pretraining.epochs,
        learningRate: preset.pretraining.learningRate,
        batchSize: preset.pretraining.batchSize,
        maxTrainImages: preset.pretraining.maxTrainImages,
        checkpointEvery: preset.pretraining.epochs,
        seed,
        tags: tags(seed),
      });
    // Queue order matters with two workers: both AEs first, then the baseline.
    const aeA = await pretrain('A');
    const aeB = await pretrain('B');
    const baseline = trainAndEvaluate(seed, LABEL_RANDOM, () => client.startCycleGan(cycleGanInput(seed, null, null)));
    const [stateA, stateB] = await Promise.all([
      watch(aeA.id, `${preset.pretraining.kind} apples (A) s${seed}`, 'PRETRAINING'),
      watch(aeB.id, `${preset.pretraining.kind} oranges (B) s${seed}`, 'PRETRAINING'),
    ]);
    const aeInit = trainAndEvaluate(seed, LABEL_AE, () => client.startCycleGan(cycleGanInput(seed, stateA.id, stateB.id)));
    const [baselineId, aeInitId] = await Promise.all([baseline, aeInit]);
    return { seed, pretraining: { A: aeA.id, B: aeB.id }, baselineId, aeInitId };
  });
  const outcomes = await Promise.all(perSeed);

  observer?.log('all runs finished; reading results and writing the report');
  const samplesDir = join(options.reportDir, 'samples');
  const pretraining: PretrainingResult[] = [];
  const models: ModelResult[] = [];
  for (const o of outcomes) {
    for (const domain of ['A', 'B'] as const) {
      const run = await client.runResults(o.pretraining[domain]);
      const points = (await client.metrics(run.id, 500)).flatMap((series) => series.points.map((p) => ({ name: series.name, ...p })));
      pretraining.push({ domain, seed: o.seed, runId: run.id, epochs: epochRows(run), points });
    }
    for (const [label, id] of [[LABEL_RANDOM, o.baselineId], [LABEL_AE, o.aeInitId]] as const) {
      const run = await client.runResults(id);
      models.push({
        label,
        seed: o.seed,
        runId: id,
        backend: run.backend,
        epochs: epochRows(run),
        evaluation: evaluationRows(run),
        samples: await downloadSamples(options, id, join(samplesDir, id)),
      });
    }
  }
  const finished = new Date();
  const results: ExperimentResults = {
    preset,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    wallSeconds: (finished.getTime() - started.getTime()) / 1000,
    pretraining,
    models,
  };
  const reportPath = await writeReport(results, options.reportDir);
  return { reportPath, results, runIds };
}

function epochRows(run: RunResults): EpochRow[] {
  return run.epochs.map((e) => ({
    epoch: e.epoch,
    lr: e.lr,
    durationMs: e.durationMs,
    losses: Object.fromEntries(e.losses.map((l) => [l.name, l.value])),
    ssim: Object.fromEntries(e.ssim.map((s) => [s.name, { mean: s.mean, std: s.std, n: s.n }])),
  }));
}

/** The newest value per metric, comparison and domain (a run evaluated twice keeps the last). */
function evaluationRows(run: RunResults): EvaluationRow[] {
  const newest = new Map<string, EvaluationRow>();
  for (const v of run.evaluations) {
    newest.set(`${v.metric}/${v.comparison}/${v.domain}`, {
      metric: v.metric,
      comparison: v.comparison as Comparison,
      domain: v.domain as Domain,
      value: v.value,
      std: v.std,
      n: v.n,
      extractor: v.extractor,
      imageScores: v.imageScores,
    });
  }
  return [...newest.values()];
}

/** Sample PNGs of the run's last sampled epoch, downloaded over HTTP so a remote server works too. */
async function downloadSamples(options: ExperimentOptions, runId: string, dir: string): Promise<SampleRow[]> {
  mkdirSync(dir, { recursive: true });
  const rows: SampleRow[] = [];
  for (const s of await options.client.samples(runId)) {
    const response = await fetch(new URL(s.url, options.serverUrl));
    if (!response.ok) throw new Error(`sample ${s.url} of run ${runId}: HTTP ${response.status}`);
    const file = join(dir, `e${s.epoch}-${s.domain}-${s.kind.toLowerCase()}-${s.index}.png`);
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    rows.push({ epoch: s.epoch, domain: s.domain as Domain, kind: s.kind.toLowerCase() as SampleKind, index: s.index, image: s.image, file });
  }
  return rows;
}
