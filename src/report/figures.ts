import type { TopLevelSpec } from 'vega-lite';
import type { Domain } from '../training/protocol.js';
import type { ExperimentResults } from './results.js';

/** Vega-Lite specs for the report's figures; data comes from ExperimentResults only. */

const DOMAIN_NAMES: Record<Domain, string> = { A: 'domain A', B: 'domain B' };
const modelName = (label: string, seed: number, seeds: number): string => (seeds > 1 ? `${label} (seed ${seed})` : label);

export function lossCurves(results: ExperimentResults): TopLevelSpec {
  const seeds = results.preset.seeds.length;
  const values = results.models.flatMap((m) =>
    m.epochs.flatMap((e) => Object.entries(e.losses).map(([loss, value]) => ({ model: modelName(m.label, m.seed, seeds), epoch: e.epoch, loss, value }))),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'CycleGAN losses per epoch (mean over the epoch)',
    data: { values },
    facet: { field: 'loss', type: 'nominal', title: null },
    columns: 4,
    spec: {
      width: 180,
      height: 120,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: 'loss', scale: { zero: false } },
        color: { field: 'model', type: 'nominal' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

export function pretrainingCurves(results: ExperimentResults): TopLevelSpec {
  const kind = results.preset.pretraining.kind;
  const values = results.pretraining.flatMap((p) => p.points.map((pt) => ({ run: `${kind} on ${p.domain}, seed ${p.seed}`, step: pt.step, loss: pt.name, value: pt.value })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${kind} pretraining losses per iteration (averaged by the server into at most 500 points)`,
    data: { values },
    facet: { field: 'loss', type: 'nominal', title: null },
    spec: {
      width: 320,
      height: 170,
      mark: { type: 'line', strokeWidth: 1 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'iteration' },
        y: { field: 'value', type: 'quantitative', title: 'loss', scale: { zero: false } },
        color: { field: 'run', type: 'nominal', legend: { labelLimit: 300 } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** SSIM of real vs fake and real vs reconstruction on the fixed test subset, per epoch, both models. */
export function ssimPerEpoch(results: ExperimentResults): TopLevelSpec {
  const seeds = results.preset.seeds.length;
  const values = results.models.flatMap((m) =>
    m.epochs.flatMap((e) => Object.entries(e.ssim).map(([key, s]) => ({ model: modelName(m.label, m.seed, seeds), epoch: e.epoch, key, mean: s.mean, lo: s.mean - s.std, hi: s.mean + s.std }))),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'SSIM per epoch on the fixed test subset (mean, band = ±1 std over images)',
    data: { values },
    facet: { field: 'key', type: 'nominal', title: null },
    columns: 2,
    spec: {
      width: 280,
      height: 150,
      layer: [
        {
          mark: { type: 'area', opacity: 0.15 },
          encoding: { y: { field: 'lo', type: 'quantitative', title: 'SSIM' }, y2: { field: 'hi' }, color: { field: 'model', type: 'nominal', legend: null } },
        },
        { mark: { type: 'line', point: true }, encoding: { y: { field: 'mean', type: 'quantitative', title: 'SSIM' }, color: { field: 'model', type: 'nominal' } } },
      ],
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
      },
    },
  };
}

function ssimImageValues(results: ExperimentResults, domain: Domain) {
  const seeds = results.preset.seeds.length;
  return results.models.flatMap((m) =>
    m.evaluation
      .filter((v) => v.metric === 'SSIM' && v.domain === domain)
      .flatMap((v) => v.imageScores.map((s, i) => ({ model: modelName(m.label, m.seed, seeds), comparison: v.comparison, image: i, name: s.image, ssim: s.value }))),
  );
}

/** The paper's box plots (Real vs Fake, Rec vs Fake) plus Real vs Rec: per-image SSIM per model. */
export function ssimBoxPlot(results: ExperimentResults, domain: Domain): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Per-image SSIM on the test split, ${DOMAIN_NAMES[domain]}`,
    data: { values: ssimImageValues(results, domain) },
    facet: { field: 'comparison', type: 'nominal', title: null },
    spec: {
      width: 220,
      height: 220,
      mark: { type: 'boxplot', extent: 1.5 },
      encoding: {
        x: { field: 'model', type: 'nominal', title: null },
        y: { field: 'ssim', type: 'quantitative', title: 'SSIM', scale: { zero: false } },
        color: { field: 'model', type: 'nominal', legend: null },
      },
    },
  };
}

/** The paper's line plots: SSIM along the test images, per model. */
export function ssimLinePlot(results: ExperimentResults, domain: Domain): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `SSIM per test image, ${DOMAIN_NAMES[domain]}`,
    data: { values: ssimImageValues(results, domain) },
    facet: { row: { field: 'comparison', type: 'nominal', title: null } },
    spec: {
      width: 520,
      height: 140,
      mark: { type: 'line', strokeWidth: 1 },
      encoding: {
        x: { field: 'image', type: 'quantitative', title: 'test image index' },
        y: { field: 'ssim', type: 'quantitative', title: 'SSIM', scale: { zero: false } },
        color: { field: 'model', type: 'nominal' },
      },
    },
  };
}
