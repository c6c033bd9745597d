import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { loadPreset } from '../src/experiment/preset.js';
import { bundledDatasetRoot } from '../src/paths.js';
import type { EvaluationRow, ExperimentResults, ModelResult, SampleRow } from '../src/report/results.js';
import { compare } from '../src/report/verdict.js';
import { writeReport } from '../src/report/write-report.js';

test('verdicts: lower FD/KID is better, higher SSIM is better, small differences are noise', () => {
  assert.equal(compare('KID-ResNet50', { value: 0.05, stdError: 0.004 }, { value: 0.03, stdError: 0.004 }).verdict, 'AE init better');
  assert.equal(compare('KID-ResNet50', { value: 0.05, stdError: 0.004 }, { value: 0.07, stdError: 0.004 }).verdict, 'AE init worse');
  assert.equal(compare('KID-ResNet50', { value: 0.05, stdError: 0.01 }, { value: 0.06, stdError: 0.01 }).verdict, 'within noise');
  assert.equal(compare('SSIM', { value: 0.4, stdError: 0.01 }, { value: 0.5, stdError: 0.01 }).verdict, 'AE init better');
  assert.equal(compare('FD-ResNet50', { value: 288.7, stdError: null }, { value: 275.3, stdError: null }).verdict, 'no noise estimate');
});

function syntheticModel(label: string, runId: string, offset: number): ModelResult {
  const realA = readdirSync(join(bundledDatasetRoot(), 'testA')).slice(0, 4);
  const realB = readdirSync(join(bundledDatasetRoot(), 'testB')).slice(0, 4);
  const samples: SampleRow[] = [];
  for (const [domain, files, other] of [['A', realA, 'testB'], ['B', realB, 'testA']] as const) {
    files.forEach((image, index) => {
      // Stand-ins for generated images: real files of the other domain, so the grid shows real pixels.
      const file = join(bundledDatasetRoot(), domain === 'A' ? 'testA' : 'testB', image);
      const fakeFile = join(bundledDatasetRoot(), other, readdirSync(join(bundledDatasetRoot(), other))[index]);
      samples.push({ epoch: 2, domain, kind: 'real', index, image, file });
      samples.push({ epoch: 2, domain, kind: 'fake', index, image, file: fakeFile });
      samples.push({ epoch: 2, domain, kind: 'rec', index, image, file });
    });
  }
  const evaluation: EvaluationRow[] = [];
  for (const domain of ['A', 'B'] as const) {
    for (const comparison of ['REAL_VS_FAKE', 'REC_VS_FAKE', 'REAL_VS_REC'] as const) {
      evaluation.push({ metric: 'FD-ResNet50', comparison, domain, value: 250 + offset, std: null, n: 64, extractor: 'resnet50-imagenet', imageScores: [] });
      evaluation.push({ metric: 'KID-ResNet50', comparison, domain, value: 0.2 + offset / 100, std: 0.01, n: 64, extractor: 'resnet50-imagenet', imageScores: [] });
      const scores = Array.from({ length: 64 }, (_, i) => ({ image: `img${i}`, value: 0.3 + 0.002 * i + offset / 1000 }));
      const mean = scores.reduce((a, s) => a + s.value, 0) / scores.length;
      evaluation.push({ metric: 'SSIM', comparison, domain, value: mean, std: 0.037, n: 64, extractor: null, imageScores: scores });
    }
  }
  const epochs = [1, 2].map((epoch) => ({
    epoch,
    lr: 2e-4,
    durationMs: 1000,
    losses: { G_A: 1 / epoch + offset / 100, D_A: 0.25, cycle_A: 2 / epoch },
    ssim: { real_vs_fake_A: { mean: 0.3 + epoch / 10, std: 0.05, n: 16 } },
  }));
  return { label, seed: 1, runId, backend: 'wasm', epochs, evaluation, samples };
}

test('writeReport writes the table, verdicts and every figure as a real PNG', async () => {
  const results: ExperimentResults = {
    preset: loadPreset('quick'),
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:10:00Z',
    wallSeconds: 600,
    pretraining: (['A', 'B'] as const).map((domain) => ({ domain, seed: 1, runId: `ae-${domain}`, points: [1, 2, 3].map((step) => ({ name: 'rec', step, value: 0.3 / step })), epochs: [{ epoch: 1, lr: 1e-4, durationMs: 5, losses: { rec: 0.2 }, ssim: {} }, { epoch: 2, lr: 1e-4, durationMs: 5, losses: { rec: 0.1 }, ssim: {} }] })),
    models: [syntheticModel('random init', 'run-random', 20), syntheticModel('AE init', 'run-ae', 0)],
  };
  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const path = await writeReport(results, dir);
  const md = readFileSync(path, 'utf8');
  // The table holds both models' values; the AE model's lower KID (0.2 vs 0.4, std 0.01) is a clear win.
  assert.match(md, /\| Real vs Fake \| A \| 270\.00 \| 250\.00 \|/);
  assert.match(md, /KID-ResNet50, Real vs Fake, domain A\*\*: AE init better/);
  assert.match(md, /N = 64 images per domain/);
  for (const png of ['losses.png', 'ssim-per-epoch.png', 'ssim-box-A.png', 'ssim-box-B.png', 'ssim-lines-A.png', 'ssim-lines-B.png', 'samples-A.png', 'samples-B.png', 'pretraining.png']) {
    assert.ok(existsSync(join(dir, png)), `${png} missing`);
    assert.match(md, new RegExp(`\\(${png.replace('.', '\\.')}\\)`));
    const meta = await sharp(join(dir, png)).metadata();
    assert.equal(meta.format, 'png');
    assert.ok((meta.width ?? 0) > 150 && (meta.height ?? 0) > 100, `${png} is ${meta.width}x${meta.height}`);
  }
  // Sample grid: label column + 4 samples of 96 px; rows real, fake, rec per model: 5 rows.
  const grid = await sharp(join(dir, 'samples-A.png')).metadata();
  assert.equal(grid.height, 5 * (96 + 4));
});
