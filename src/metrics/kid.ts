// Kernel Inception Distance (Binkowski et al. 2018): the unbiased estimate of the squared MMD
// between two feature distributions with the cubic polynomial kernel k(x, y) = (x.y / d + 1)^3,
// averaged over random subsets of equal size m drawn without replacement from each set:
//   MMD^2_u = sum_{i!=j} k(x_i,x_j) / (m(m-1)) + sum_{i!=j} k(y_i,y_j) / (m(m-1)) - 2 sum_{i,j} k(x_i,y_j) / m^2
// (the estimator of torchmetrics, clean-fid and torch-fidelity). Each term is unbiased for
// independent samples, so unlike FD the expectation does not depend on N. The reported std is the
// population std over the subsets (torchmetrics' unbiased=False).
// Note: comparing a set with *itself* breaks the independence the estimator assumes (x_i and y_j are
// the same vector with probability 1/N), so KID(X, X) is not 0 but about -2 (mean k(x,x) - mean
// k(x,y)) / N; two independent samples of one distribution give ~0.
import { checkFeatureMatrix, rowDot, type FeatureMatrix } from './features.js';
import { Rng } from '../training/rng.js';

export interface KidOptions {
  /** Samples per subset, from each set; reduced to the smaller set's size when larger. */
  subsetSize: number;
  /** Number of subsets averaged. */
  subsets: number;
  /** Seed of the subset sampling (the training Rng), so a run reproduces its KID. */
  seed: number;
}

export interface KidResult {
  value: number;
  /** Population std of the per-subset estimates. */
  std: number;
  /** The subset size actually used. */
  subsetSize: number;
  subsets: number;
  n1: number;
  n2: number;
  warning: string | null;
}

/** Full kernel matrices are precomputed up to this many entries in all (128 MiB of float64). */
const MAX_CACHED_KERNEL_ENTRIES = 1 << 24;

type Kernel = (i: number, j: number) => number;

function polynomialKernel(a: FeatureMatrix, b: FeatureMatrix, precompute: boolean): Kernel {
  const d = a.cols;
  const direct: Kernel = (i, j) => (rowDot(a.data, i, b.data, j, d) / d + 1) ** 3;
  if (!precompute) return direct;
  const values = new Float64Array(a.rows * b.rows);
  const symmetric = a === b;
  for (let i = 0; i < a.rows; i++) {
    for (let j = symmetric ? i : 0; j < b.rows; j++) {
      const v = direct(i, j);
      values[i * b.rows + j] = v;
      if (symmetric) values[j * b.rows + i] = v;
    }
  }
  return (i, j) => values[i * b.rows + j];
}

/** m distinct indices from 0..n-1 (partial Fisher-Yates). */
function sampleIndices(n: number, m: number, rng: Rng): Int32Array {
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.subarray(0, m);
}

function withinSum(k: Kernel, idx: Int32Array): number {
  let s = 0;
  for (let p = 0; p < idx.length; p++) for (let q = p + 1; q < idx.length; q++) s += k(idx[p], idx[q]);
  return 2 * s;
}

function crossSum(k: Kernel, ix: Int32Array, iy: Int32Array): number {
  let s = 0;
  for (const i of ix) for (const j of iy) s += k(i, j);
  return s;
}

function checkInteger(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`kernelInceptionDistance: options.${name} must be an integer >= ${min}, got ${String(v)}`);
}

/** KID between two feature sets (rows = samples); `value` is the mean MMD^2 over the subsets. */
export function kernelInceptionDistance(f1: FeatureMatrix, f2: FeatureMatrix, options: KidOptions): KidResult {
  checkInteger('subsetSize', options.subsetSize, 2);
  checkInteger('subsets', options.subsets, 1);
  checkInteger('seed', options.seed, 0);
  checkFeatureMatrix('kernelInceptionDistance: features1', f1, 2);
  checkFeatureMatrix('kernelInceptionDistance: features2', f2, 2);
  if (f1.cols !== f2.cols) throw new Error(`kernelInceptionDistance: feature dimensions differ: ${f1.cols} vs ${f2.cols}`);

  const m = Math.min(options.subsetSize, f1.rows, f2.rows);
  const warning =
    m < options.subsetSize
      ? `subset size reduced from ${options.subsetSize} to ${m}, the size of the smaller set (N1=${f1.rows}, N2=${f2.rows})`
      : null;
  const precompute = f1.rows * f1.rows + f2.rows * f2.rows + f1.rows * f2.rows <= MAX_CACHED_KERNEL_ENTRIES;
  const kxx = polynomialKernel(f1, f1, precompute);
  const kyy = polynomialKernel(f2, f2, precompute);
  const kxy = polynomialKernel(f1, f2, precompute);

  const rng = new Rng(options.seed);
  const estimates = new Float64Array(options.subsets);
  for (let s = 0; s < options.subsets; s++) {
    const ix = sampleIndices(f1.rows, m, rng);
    const iy = sampleIndices(f2.rows, m, rng);
    estimates[s] = (withinSum(kxx, ix) + withinSum(kyy, iy)) / (m * (m - 1)) - (2 * crossSum(kxy, ix, iy)) / (m * m);
  }
  const value = estimates.reduce((a, b) => a + b, 0) / options.subsets;
  const std = Math.sqrt(estimates.reduce((a, b) => a + (b - value) ** 2, 0) / options.subsets);
  return { value, std, subsetSize: m, subsets: options.subsets, n1: f1.rows, n2: f2.rows, warning };
}
