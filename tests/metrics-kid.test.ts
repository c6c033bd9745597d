import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FeatureMatrix } from '../src/metrics/features.js';
import { kernelInceptionDistance } from '../src/metrics/kid.js';
import { Rng } from '../src/training/rng.js';

/** rows x cols features drawn i.i.d. as mean + sd * N(0,1), clipped at 0 like pooled ReLU features. */
function features(seed: number, rows: number, cols: number, mean: number, sd = 0.25): FeatureMatrix {
  const rng = new Rng(seed);
  const g = (): number => rng.normal();
  return { data: Float64Array.from({ length: rows * cols }, () => Math.max(0, mean + sd * g())), rows, cols };
}

const k = (x: number[], y: number[]): number => (x.reduce((s, v, i) => s + v * y[i], 0) / x.length + 1) ** 3;

test('KID of two independent samples of one distribution is ~0; a shifted copy is clearly positive', () => {
  const x = features(1, 200, 64, 0.5);
  const y = features(2, 200, 64, 0.5);
  const options = { subsetSize: 100, subsets: 100, seed: 7 };
  const same = kernelInceptionDistance(x, y, options);
  assert.ok(Math.abs(same.value) < 1e-3, `KID(X, X') = ${same.value}`);
  const shifted = kernelInceptionDistance(x, { ...y, data: Float64Array.from(y.data, (v) => v + 0.1) }, options);
  assert.ok(shifted.value > 0.05, `KID(X, Y + 0.1) = ${shifted.value}`);
  assert.ok(shifted.value > 20 * (Math.abs(same.value) + same.std), 'shift stands far above the noise');
});

test('KID averaged over many independent samples of one distribution has mean 0', () => {
  const values: number[] = [];
  for (let r = 0; r < 40; r++) {
    values.push(kernelInceptionDistance(features(100 + r, 20, 16, 0.5), features(200 + r, 20, 16, 0.5), { subsetSize: 20, subsets: 1, seed: r }).value);
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const se = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) / values.length);
  assert.ok(Math.abs(mean) < 3 * se, `mean ${mean}, standard error ${se}`);
});

test('KID of a set with itself is the known negative bias -2 (mean k(x,x) - mean k(x,x\')) / N', () => {
  // Comparing a set with itself breaks the estimator's independence assumption (see kid.ts).
  const n = 30;
  const x = features(3, n, 8, 0.5);
  const rows = Array.from({ length: n }, (_, i) => Array.from(x.data).slice(i * 8, i * 8 + 8));
  let diag = 0;
  let off = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) diag += k(rows[i], rows[j]);
      else off += k(rows[i], rows[j]);
    }
  }
  const expected = (-2 * (diag / n - off / (n * (n - 1)))) / n;
  const r = kernelInceptionDistance(x, x, { subsetSize: n, subsets: 1, seed: 0 });
  assert.ok(Math.abs(r.value - expected) < 1e-12, `${r.value} vs ${expected}`);
  assert.ok(r.value < 0);
});

test('KID is unbiased: its exact expectation over all samples of a discrete distribution equals the population MMD^2', () => {
  // P and Q: point masses in 2-d. Population MMD^2 = E k(x,x') + E k(y,y') - 2 E k(x,y), x,x' ~ P and y,y' ~ Q independent.
  const P = { points: [[0, 1], [2, -1]], probs: [0.3, 0.7] };
  const Q = { points: [[1, 1], [-1, 0.5], [3, 0]], probs: [0.5, 0.2, 0.3] };
  const expectK = (A: typeof P, B: typeof P): number =>
    A.points.reduce((s, a, i) => s + B.points.reduce((t, b, j) => t + A.probs[i] * B.probs[j] * k(a, b), 0), 0);
  const population = expectK(P, P) + expectK(Q, Q) - 2 * expectK(P, Q);

  // Every ordered sample of size m from P and from Q, weighted by its probability.
  const m = 3;
  const tuples = (D: typeof P): { idx: number[]; p: number }[] => {
    let out = [{ idx: [] as number[], p: 1 }];
    for (let t = 0; t < m; t++) out = out.flatMap((s) => D.probs.map((pr, i) => ({ idx: [...s.idx, i], p: s.p * pr })));
    return out;
  };
  const asMatrix = (D: typeof P, idx: number[]): FeatureMatrix => ({ data: idx.flatMap((i) => D.points[i]), rows: m, cols: 2 });
  let expectation = 0;
  let totalP = 0;
  for (const sx of tuples(P)) {
    for (const sy of tuples(Q)) {
      const r = kernelInceptionDistance(asMatrix(P, sx.idx), asMatrix(Q, sy.idx), { subsetSize: m, subsets: 1, seed: 0 });
      expectation += sx.p * sy.p * r.value;
      totalP += sx.p * sy.p;
    }
  }
  assert.ok(Math.abs(totalP - 1) < 1e-12);
  assert.ok(population > 0.1, `population MMD^2 ${population}`);
  assert.ok(Math.abs(expectation - population) < 1e-12 * population, `E[KID] ${expectation} vs MMD^2 ${population}`);
});

test('KID over random subsets averages to the whole-set U-statistic (uniform subset sampling)', () => {
  const x = features(11, 24, 8, 0.5);
  const y = features(12, 30, 8, 0.6);
  const rowsOf = (f: FeatureMatrix): number[][] => Array.from({ length: f.rows }, (_, i) => Array.from(f.data).slice(i * f.cols, (i + 1) * f.cols));
  const meanK = (a: number[][], b: number[][], skipDiagonal: boolean): number => {
    let s = 0;
    let n = 0;
    a.forEach((u, i) => b.forEach((v, j) => {
      if (skipDiagonal && i === j) return;
      s += k(u, v);
      n++;
    }));
    return s / n;
  };
  const [rx, ry] = [rowsOf(x), rowsOf(y)];
  // Each subset of m distinct rows drawn uniformly has this expectation, whatever m is.
  const target = meanK(rx, rx, true) + meanK(ry, ry, true) - 2 * meanK(rx, ry, false);
  for (const m of [8, 24]) {
    const r = kernelInceptionDistance(x, y, { subsetSize: m, subsets: 4000, seed: m });
    const se = r.std / Math.sqrt(r.subsets);
    assert.ok(Math.abs(r.value - target) < 4 * se, `subsets of ${m}: ${r.value} vs ${target}, standard error ${se}`);
  }
});

test('KID is reproducible from its seed and caps the subset size at N', () => {
  const x = features(21, 50, 8, 0.5);
  const y = features(22, 40, 8, 0.55);
  const a = kernelInceptionDistance(x, y, { subsetSize: 20, subsets: 10, seed: 3 });
  const b = kernelInceptionDistance(x, y, { subsetSize: 20, subsets: 10, seed: 3 });
  const c = kernelInceptionDistance(x, y, { subsetSize: 20, subsets: 10, seed: 4 });
  assert.equal(a.value, b.value);
  assert.notEqual(a.value, c.value);
  assert.equal(a.warning, null);
  const capped = kernelInceptionDistance(x, y, { subsetSize: 100, subsets: 2, seed: 3 });
  assert.equal(capped.subsetSize, 40);
  assert.match(capped.warning ?? '', /subset size reduced from 100 to 40.*N1=50, N2=40/);
});

test('KID rejects bad options and features with clear errors', () => {
  const x = features(1, 10, 4, 0.5);
  assert.throws(() => kernelInceptionDistance(x, x, { subsetSize: 1, subsets: 1, seed: 0 }), /options\.subsetSize must be an integer >= 2, got 1/);
  assert.throws(() => kernelInceptionDistance(x, x, { subsetSize: 5, subsets: 0, seed: 0 }), /options\.subsets must be an integer >= 1/);
  assert.throws(() => kernelInceptionDistance(x, x, { subsetSize: 5, subsets: 1, seed: 0.5 }), /options\.seed/);
  assert.throws(() => kernelInceptionDistance(x, features(2, 10, 5, 0.5), { subsetSize: 5, subsets: 1, seed: 0 }), /feature dimensions differ: 4 vs 5/);
});
