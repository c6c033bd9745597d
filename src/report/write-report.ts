import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Comparison, Domain } from '../training/protocol.js';
import { renderChart } from './chart.js';
import { lossCurves, pretrainingCurves, ssimBoxPlot, ssimLinePlot, ssimPerEpoch } from './figures.js';
import type { EvaluationRow, ExperimentResults, ModelResult } from './results.js';
import { writeSampleGrid } from './sample-grid.js';
import { compare, fmt, overSeeds, type Estimate } from './verdict.js';

const DOMAINS: Domain[] = ['A', 'B'];
const TABLE_COMPARISONS: Comparison[] = ['REAL_VS_FAKE', 'REC_VS_FAKE', 'REAL_VS_REC'];
const COMPARISON_TEXT: Record<Comparison, string> = { REAL_VS_FAKE: 'Real vs Fake', REC_VS_FAKE: 'Rec vs Fake', REAL_VS_REC: 'Real vs Rec' };

/** Writes report.md and its figures into `dir`; returns the path of report.md. */
export async function writeReport(results: ExperimentResults, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const figures: string[] = [];
  const figure = async (file: string, title: string, make: () => Promise<boolean | void>): Promise<void> => {
    if ((await make()) !== false) figures.push(`### ${title}\n\n![${title}](${file})\n`);
  };
  await figure('losses.png', 'CycleGAN loss curves', () => renderChart(lossCurves(results), join(dir, 'losses.png')));
  await figure('ssim-per-epoch.png', 'SSIM every epoch, both models', () => renderChart(ssimPerEpoch(results), join(dir, 'ssim-per-epoch.png')));
  for (const d of DOMAINS) {
    await figure(`ssim-box-${d}.png`, `SSIM box plots, domain ${d}`, () => renderChart(ssimBoxPlot(results, d), join(dir, `ssim-box-${d}.png`)));
    await figure(`ssim-lines-${d}.png`, `SSIM per test image, domain ${d}`, () => renderChart(ssimLinePlot(results, d), join(dir, `ssim-lines-${d}.png`)));
    await figure(`samples-${d}.png`, `Samples from domain ${d}: real, fake, reconstruction`, () => writeSampleGrid(firstSeed(results), d, join(dir, `samples-${d}.png`)));
  }
  await figure('pretraining.png', 'Pretraining curves', () => renderChart(pretrainingCurves(results), join(dir, 'pretraining.png')));

  const markdown = [
    `# cyclegan-lab report: ${results.preset.name}`,
    '',
    results.preset.description,
    '',
    summary(results),
    '## Results table (the paper\'s comparisons, with KID beside FD)',
    '',
    definitions(results),
    table(results),
    '## Verdicts (AE-initialised vs randomly initialised CycleGAN)',
    '',
    verdicts(results),
    '## Figures',
    '',
    ...figures,
    '## Runs',
    '',
    runsList(results),
  ].join('\n');
  const path = join(dir, 'report.md');
  writeFileSync(path, markdown);
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results, null, 1));
  return path;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const firstSeed = (r: ExperimentResults): ModelResult[] => r.models.filter((m) => m.seed === r.preset.seeds[0]);
const labels = (r: ExperimentResults): string[] => [...new Set(r.models.map((m) => m.label))];
const metricsOf = (r: ExperimentResults): string[] => {
  const all = [...new Set(r.models.flatMap((m) => m.evaluation.map((v) => v.metric)))];
  return [...all.filter((m) => m !== 'SSIM').sort(), ...all.filter((m) => m === 'SSIM')];
};

function summary(r: ExperimentResults): string {
  const p = r.preset;
  const n = r.models[0]?.evaluation.find((v) => v.metric !== 'SSIM')?.n;
  const extractor = r.models[0]?.evaluation.find((v) => v.extractor)?.extractor ?? 'none';
  return [
    `* Dataset: \`${p.dataset}\` at ${p.imageSize}x${p.imageSize}; seeds ${p.seeds.join(', ')}.`,
    `* Pretraining: ${p.pretraining.kind}, ngf ${p.pretraining.ngf}, ${p.pretraining.nBlocks} blocks, latent ${p.pretraining.latentSize}, ${plural(p.pretraining.epochs, 'epoch')}, lr ${p.pretraining.learningRate}, batch ${p.pretraining.batchSize}.`,
    `* CycleGAN: ngf ${p.cycleGan.ngf}, ${p.cycleGan.nBlocks} blocks, ndf ${p.cycleGan.ndf}, ${p.cycleGan.epochs} + ${plural(p.cycleGan.epochsDecay, 'decay epoch')}, lr ${p.cycleGan.learningRate}, batch ${p.cycleGan.batchSize}.`,
    `* Evaluation: test split, N = ${n ?? '?'} images per domain, feature extractor \`${extractor}\`, KID over ${p.evaluation.kidSubsets} subsets of ${p.evaluation.kidSubsetSize}.`,
    `* Backend: ${[...new Set(r.models.map((m) => m.backend ?? '?'))].join(', ')}. Wall time: ${(r.wallSeconds / 60).toFixed(1)} min (${r.startedAt} to ${r.finishedAt}).`,
    '',
  ].join('\n');
}

function definitions(r: ExperimentResults): string {
  const extractorNote = metricsOf(r).some((m) => m.includes('ResNet50'))
    ? ' FD-ResNet50/KID-ResNet50 use ImageNet ResNet50 features (offline); they are not FID and not comparable with published FID values.'
    : '';
  return [
    'FD and KID compare sets of images of one domain X: Real vs Fake = real test images of X vs images translated into X from the other domain; ' +
      'Rec vs Fake = reconstructions of X (X -> other -> X) vs fakes of X; Real vs Rec = real X vs reconstructions of X. ' +
      'SSIM is paired per image of X: Real vs Fake = real X_i vs its translation G(X_i); Rec vs Fake = reconstruction of X_i vs G(X_i); Real vs Rec = X_i vs its reconstruction. ' +
      'Lower FD/KID and higher SSIM are better. FD at a few hundred images is biased and only comparable at equal N; KID is unbiased.' + extractorNote,
    '',
  ].join('\n');
}

/** Mean over seeds, with a standard error from seeds, or from the metric's own spread with one seed. */
function estimate(r: ExperimentResults, label: string, metric: string, comparison: Comparison, domain: Domain): Estimate | null {
  const rows = r.models
    .filter((m) => m.label === label)
    .map((m) => m.evaluation.find((v) => v.metric === metric && v.comparison === comparison && v.domain === domain))
    .filter((v): v is EvaluationRow => v !== undefined);
  if (rows.length === 0) return null;
  if (rows.length > 1) return overSeeds(rows.map((v) => v.value));
  const v = rows[0];
  if (v.std === null) return { value: v.value, stdError: null };
  // SSIM's std is over images (standard error = std / sqrt(n)); KID's is over subsets, already an error estimate.
  return { value: v.value, stdError: metric === 'SSIM' ? v.std / Math.sqrt(v.n) : v.std };
}

function cell(e: Estimate | null, metric: string): string {
  if (!e) return '–';
  if (e.stdError === null) return fmt(e.value);
  return `${fmt(e.value)} ± ${fmt(e.stdError)}${metric === 'SSIM' ? ' (s.e.)' : ''}`;
}

function table(r: ExperimentResults): string {
  const ls = labels(r);
  const metrics = metricsOf(r);
  const header = ['comparison', 'domain', ...metrics.flatMap((m) => ls.map((l) => `${m}, ${l}`))];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`];
  for (const c of TABLE_COMPARISONS) {
    for (const d of DOMAINS) {
      const cells = metrics.flatMap((m) => ls.map((l) => cell(estimate(r, l, m, c, d), m)));
      lines.push(`| ${COMPARISON_TEXT[c]} | ${d} | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n') + '\n';
}

function verdicts(r: ExperimentResults): string {
  const [baseline, aeInit] = labels(r);
  if (!baseline || !aeInit) return 'Only one model: nothing to compare.\n';
  const lines: string[] = [];
  for (const m of metricsOf(r)) {
    for (const c of TABLE_COMPARISONS) {
      for (const d of DOMAINS) {
        const b = estimate(r, baseline, m, c, d);
        const a = estimate(r, aeInit, m, c, d);
        if (b && a) lines.push(`* **${m}, ${COMPARISON_TEXT[c]}, domain ${d}**: ${compare(m, b, a).text}.`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

function runsList(r: ExperimentResults): string {
  return [
    ...r.pretraining.map((p) => `* ${r.preset.pretraining.kind} on domain ${p.domain}, seed ${p.seed}: run \`${p.runId}\``),
    ...r.models.map((m) => `* CycleGAN, ${m.label}, seed ${m.seed}: run \`${m.runId}\``),
    '',
  ].join('\n');
}
