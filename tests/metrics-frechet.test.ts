import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FeatureMatrix } from '../src/metrics/features.js';
import { featureStats, frechetDistance, frechetDistanceFromStats } from '../src/metrics/frechet.js';
import { Rng } from '../src/training/rng.js';
import { sharedDir } from '../src/paths.js';

interface FidCase {
  name: string;
  dim: number;
  mu1: number[];
  sigma1: number[][];
  mu2: number[];
  sigma2: number[][];
  trace_sqrt_sigma1_sigma2: number;
  fid_pytorch_fid: number;
  fid_eigh_crosscheck: number;
  analytic?: number;
  features1?: number[][];
  features2?: number[][];
}

const fixture = JSON.parse(readFileSync(join(sharedDir(), 'fixtures', 'ssim_fid_reference.json'), 'utf8')) as { fid_cases: FidCase[] };

const matrix = (rows: number[][]): FeatureMatrix => ({ data: rows.flat(), rows: rows.length, cols: rows[0].length });

function assertRelClose(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
  assert.ok(err <= rel, `${what}: ${actual} vs ${expected} (relative error ${err.toExponential(2)} > ${rel})`);
}

function randomFeatures(seed: number, rows: number, cols: number, shift = 0): FeatureMatrix {
  const rng = new Rng(seed);
  const g = (): number => rng.normal();
  // Correlated columns (each row mixes a shared factor) so the covariances do not commute.
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const common = g();
    for (let c = 0; c < cols; c++) data[r * cols + c] = g() * (1 + (c % 3)) + common * Math.sin(c) + shift;
  }
  return { data, rows, cols };
}

test('fixture has Fréchet cases with and without raw features', () => {
  assert.ok(fixture.fid_cases.length >= 5);
  assert.ok(fixture.fid_cases.filter((c) => c.features1).length >= 2);
});

for (const c of fixture.fid_cases) {
  const rel = c.name.startsWith('rank_deficient') ? 1e-5 : 1e-6;
  test(`Fréchet distance from statistics equals pytorch-fid: ${c.name}`, () => {
    const r = frechetDistanceFromStats({ mean: c.mu1, cov: c.sigma1.flat() }, { mean: c.mu2, cov: c.sigma2.flat() });
    assertRelClose(r.value, c.fid_pytorch_fid, rel, 'FD vs pytorch-fid');
    assertRelClose(r.value, c.fid_eigh_crosscheck, 1e-9, 'FD vs numpy eigh route');
    assertRelClose(r.traceSqrtProduct, c.trace_sqrt_sigma1_sigma2, rel, 'Tr sqrt(S1 S2)');
    if (c.analytic !== undefined) assertRelClose(r.value, c.analytic, 1e-9, 'FD vs analytic');
  });

  if (c.features1 && c.features2) {
    const f1 = matrix(c.features1);
    const f2 = matrix(c.features2);
    test(`Fréchet distance from raw features equals pytorch-fid, both routes: ${c.name}`, () => {
      const stats1 = featureStats(f1);
      c.sigma1.flat().forEach((v, i) => assert.ok(Math.abs(stats1.cov[i] - v) < 1e-12, `cov[${i}]`));
      c.mu1.forEach((v, i) => assert.ok(Math.abs(stats1.mean[i] - v) < 1e-12, `mean[${i}]`));
      for (const route of ['covariance', 'gram'] as const) {
        const r = frechetDistance(f1, f2, { route });
        assertRelClose(r.value, c.fid_pytorch_fid, rel, `${route} route`);
      }
      const auto = frechetDistance(f1, f2);
      const fewer = Math.min(f1.rows, f2.rows) < f1.cols;
      assert.equal(auto.route, fewer ? 'gram' : 'covariance');
      assert.equal(auto.warning !== null, fewer);
      if (fewer) assert.match(auto.warning ?? '', /fewer samples than feature dimensions \(N1=3, N2=4, d=5\)/);
    });
  }
}

test('Gram route equals the covariance route (d=40; N below, between and above d)', () => {
  for (const [n1, n2] of [[12, 25], [30, 55], [60, 45]]) {
    const f1 = randomFeatures(n1, n1, 40);
    const f2 = randomFeatures(1000 + n2, n2, 40, 0.3);
    const viaCov = frechetDistance(f1, f2, { route: 'covariance' });
    const viaGram = frechetDistance(f1, f2, { route: 'gram' });
    // With N < d the covariances are singular and the covariance route carries a sqrt(eps)-sized
    // error (see frechet.ts); with N > d both routes are exact to rounding.
    const rel = Math.min(n1, n2) < 40 ? 1e-7 : 1e-10;
    assertRelClose(viaGram.value, viaCov.value, rel, `N1=${n1} N2=${n2}`);
    assertRelClose(viaGram.traceSqrtProduct, viaCov.traceSqrtProduct, rel, `trace N1=${n1} N2=${n2}`);
    // Swapping the sets changes nothing (the smaller set goes first internally).
    assertRelClose(frechetDistance(f2, f1, { route: 'gram' }).value, viaGram.value, 1e-12, 'swapped');
  }
});

test('Fréchet distance of a set with itself is ~0, also with N far below d', () => {
  const f = randomFeatures(7, 20, 300);
  const r = frechetDistance(f, f);
  assert.equal(r.route, 'gram');
  assert.ok(Number.isFinite(r.value));
  assert.ok(Math.abs(r.value) < 1e-8 * r.traceSqrtProduct, `FD(X,X) = ${r.value}`);
  assert.match(r.warning ?? '', /N1=20, N2=20, d=300/);
  const shifted = frechetDistance(f, { ...f, data: Float64Array.from(f.data, (v) => v + 0.5) });
  assertRelClose(shifted.value, 300 * 0.25, 1e-10, 'pure mean shift gives ||d||^2');
});

test('Fréchet distance rejects bad input with clear errors', () => {
  const f = randomFeatures(1, 10, 4);
  assert.throws(() => frechetDistance(f, randomFeatures(2, 10, 5)), /feature dimensions differ: 4 vs 5/);
  assert.throws(() => frechetDistance(f, { data: [1, 2, 3, 4], rows: 1, cols: 4 }), /features2: needs at least 2 feature rows/);
  const bad = Float64Array.from(f.data);
  bad[9] = NaN;
  assert.throws(() => frechetDistance({ ...f, data: bad }, f), /features1: feature value at row 2, column 1 is NaN/);
  assert.throws(() => frechetDistanceFromStats({ mean: [0, 0], cov: [1, 0, 0, 1] }, { mean: [0, 0], cov: [1] }), /s2 must have mean of length 2 and cov of 2x2/);
});
