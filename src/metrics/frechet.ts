// Fréchet distance between two Gaussians fitted to feature sets (FID when the features are
// InceptionV3 pool features, "FD-ResNet50" for ResNet50 ones):
//   FD = ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr sqrt(S1 S2)
// with mu the column mean and S the covariance divided by N-1 (np.cov, as pytorch-fid does).
//
// Tr sqrt(S1 S2) is the sum of the square roots of the eigenvalues of S1 S2. Those equal the
// eigenvalues of the symmetric PSD matrix S1^1/2 S2 S1^1/2, so a symmetric eigensolver gives them
// in float64 without a general matrix square root (scipy's sqrtm) or complex arithmetic.
//
// Eigensolver: ml-matrix's EigenvalueDecomposition with assumeSymmetric, a port of JAMA's
// tred2 + tql2 (Householder tridiagonalisation, then implicit QL with shifts) in float64: the
// same family of backward-stable algorithms as LAPACK's dsyev behind numpy.linalg.eigh, so its
// eigenvalues are accurate to about eps * ||S||. It is O(n^3) pure JS (about 1.2 s at n = 500
// here), fine for a few hundred but far too slow at n = 2048 (roughly 80 s each).
//
// Hence two routes to the same number:
// * covariance route (N >= d): S1^1/2 from the eigendecomposition of S1 (tiny negative
//   eigenvalues clipped to 0), then the eigenvalues of S1^1/2 S2 S1^1/2. Cost ~ 2 eig(d).
// * Gram route (fewer samples than dimensions, the usual case at 2048-d): write
//   S1 = A A^T and S2 = B B^T with A = X1c^T / sqrt(N1-1) (d x N1, X1c the centred features) and
//   likewise B. The non-zero eigenvalues of P Q equal those of Q P, so
//     eig(S1 S2) = eig(A (A^T B B^T)) ~ eig(A^T B B^T A) = eig(C C^T),  C = A^T B  (N1 x N2),
//   so Tr sqrt(S1 S2) = sum sqrt(eig(C C^T)) = the sum of the singular values of C, and
//   Tr(S1) = ||A||_F^2. We take C's singular values directly (ml-matrix's SingularValueDecomposition,
//   JAMA's Golub-Kahan bidiagonalisation + implicit QR, float64, about 1.1 s for 500 x 500 here)
//   instead of eigenvalues of C C^T: forming C C^T squares the condition number, so a zero singular
//   value (centring always makes one) comes back as an eigenvalue of size eps * sigma_max^2 whose
//   square root is sqrt(eps) * sigma_max, an error of ~1e-8 relative in the trace; the SVD keeps it
//   at eps * sigma_max. Cost ~ N1 N2 d + svd(N1 x N2); no d x d matrix is formed. The smaller set
//   goes first so that C is wide and the SVD works on its short side.
// The covariance route has the sqrt(eps) effect on singular covariances (as the reference numpy
// eigh route does: it differs from scipy's sqrtm by ~4e-8 on the fixture's rank-deficient case),
// which is why the Gram route is also the default whenever N < d.
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { checkFeatureMatrix, rowDot, type FeatureMatrix } from './features.js';

export interface FeatureStats {
  /** Column mean, length dim. */
  mean: ArrayLike<number>;
  /** Covariance, dim x dim row-major. */
  cov: ArrayLike<number>;
}

export interface FrechetResult {
  value: number;
  traceSqrtProduct: number;
  dim: number;
  n1: number;
  n2: number;
  route: FrechetRoute;
  /** Set when either set has fewer samples than dimensions (singular covariance). */
  warning: string | null;
}

export type FrechetRoute = 'covariance' | 'gram';

function symmetricEigen(m: Matrix): EigenvalueDecomposition {
  return new EigenvalueDecomposition(m, { assumeSymmetric: true });
}

/** Sum of sqrt of eigenvalues of a symmetric PSD matrix; rounding-level negatives count as 0. */
function sumSqrtEigenvalues(m: Matrix): number {
  let s = 0;
  for (const v of symmetricEigen(m).realEigenvalues) if (v > 0) s += Math.sqrt(v);
  return s;
}

function squareMatrix(data: ArrayLike<number>, dim: number): Matrix {
  const m = new Matrix(dim, dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) m.set(i, j, data[i * dim + j]);
  return m;
}

function columnMean(f: FeatureMatrix): Float64Array {
  const mean = new Float64Array(f.cols);
  for (let r = 0; r < f.rows; r++) for (let c = 0; c < f.cols; c++) mean[c] += f.data[r * f.cols + c];
  for (let c = 0; c < f.cols; c++) mean[c] /= f.rows;
  return mean;
}

/** Rows minus the column mean, scaled by 1/sqrt(N-1): then S = A^T A for this N x d matrix A. */
function centredScaled(f: FeatureMatrix, mean: Float64Array): Float64Array {
  const a = new Float64Array(f.rows * f.cols);
  const scale = 1 / Math.sqrt(f.rows - 1);
  for (let r = 0; r < f.rows; r++) {
    for (let c = 0; c < f.cols; c++) a[r * f.cols + c] = (f.data[r * f.cols + c] - mean[c]) * scale;
  }
  return a;
}

/** Mean and N-1 covariance of a feature set (np.cov(rowvar=False)). */
export function featureStats(f: FeatureMatrix): { mean: Float64Array; cov: Float64Array } {
  checkFeatureMatrix('featureStats', f, 2);
  const mean = columnMean(f);
  const a = centredScaled(f, mean);
  const d = f.cols;
  const cov = new Float64Array(d * d);
  // Accumulate outer products row by row: contiguous access, symmetric half only.
  for (let r = 0; r < f.rows; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) {
      const ai = a[o + i];
      if (ai === 0) continue;
      for (let j = i; j < d; j++) cov[i * d + j] += ai * a[o + j];
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) cov[i * d + j] = cov[j * d + i];
  return { mean, cov };
}

function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

function trace(m: ArrayLike<number>, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += m[i * dim + i];
  return s;
}

/** Tr sqrt(S1 S2) = sum sqrt(eig(S1^1/2 S2 S1^1/2)). */
function traceSqrtProductFromCovariances(cov1: ArrayLike<number>, cov2: ArrayLike<number>, dim: number): number {
  const eig1 = symmetricEigen(squareMatrix(cov1, dim));
  const v = eig1.eigenvectorMatrix;
  const roots = eig1.realEigenvalues.map((w) => Math.sqrt(Math.max(w, 0)));
  const half = v.clone().mulRowVector(roots).mmul(v.transpose());
  const m = half.mmul(squareMatrix(cov2, dim)).mmul(half);
  return sumSqrtEigenvalues(m.add(m.transpose()).div(2));
}

/** Fréchet distance from precomputed statistics (covariance route). */
export function frechetDistanceFromStats(s1: FeatureStats, s2: FeatureStats): { value: number; traceSqrtProduct: number } {
  const dim = s1.mean.length;
  for (const [name, s] of [['s1', s1], ['s2', s2]] as const) {
    if (s.mean.length !== dim || s.cov.length !== dim * dim) {
      throw new Error(`frechetDistanceFromStats: ${name} must have mean of length ${dim} and cov of ${dim}x${dim}, got ${s.mean.length} and ${s.cov.length} values`);
    }
  }
  const tr = traceSqrtProductFromCovariances(s1.cov, s2.cov, dim);
  const value = squaredDistance(s1.mean, s2.mean) + trace(s1.cov, dim) + trace(s2.cov, dim) - 2 * tr;
  return { value, traceSqrtProduct: tr };
}

/** Tr sqrt(S1 S2) from centred, scaled features (Gram route, see the header); n1 <= n2. */
function traceSqrtProductFromGram(a: Float64Array, n1: number, b: Float64Array, n2: number, dim: number): number {
  // C = A^T B in the header's notation; here a and b hold rows = samples, so C[i][j] = a_i . b_j.
  const c = new Matrix(n1, n2);
  for (let i = 0; i < n1; i++) for (let j = 0; j < n2; j++) c.set(i, j, rowDot(a, i, b, j, dim));
  const svd = new SingularValueDecomposition(c, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true });
  let s = 0;
  for (const v of svd.diagonal) s += Math.max(v, 0);
  return s;
}

function sumOfSquares(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}

/**
 * Fréchet distance between two feature sets (rows = samples). `route` forces one of the two
 * equivalent computations (tests); by default the Gram route is used when either set has
 * fewer samples than dimensions.
 */
export function frechetDistance(f1: FeatureMatrix, f2: FeatureMatrix, options: { route?: FrechetRoute } = {}): FrechetResult {
  checkFeatureMatrix('frechetDistance: features1', f1, 2);
  checkFeatureMatrix('frechetDistance: features2', f2, 2);
  if (f1.cols !== f2.cols) throw new Error(`frechetDistance: feature dimensions differ: ${f1.cols} vs ${f2.cols}`);
  const dim = f1.cols;
  const n1 = f1.rows;
  const n2 = f2.rows;
  const route = options.route ?? (Math.min(n1, n2) < dim ? 'gram' : 'covariance');
  const warning =
    Math.min(n1, n2) < dim
      ? `fewer samples than feature dimensions (N1=${n1}, N2=${n2}, d=${dim}): the covariances are singular; the distance is defined but strongly biased, compare only values computed at the same N`
      : null;

  let value: number;
  let tr: number;
  if (route === 'covariance') {
    ({ value, traceSqrtProduct: tr } = frechetDistanceFromStats(featureStats(f1), featureStats(f2)));
  } else {
    const mean1 = columnMean(f1);
    const mean2 = columnMean(f2);
    const a = centredScaled(f1, mean1);
    const b = centredScaled(f2, mean2);
    tr = n1 <= n2 ? traceSqrtProductFromGram(a, n1, b, n2, dim) : traceSqrtProductFromGram(b, n2, a, n1, dim);
    value = squaredDistance(mean1, mean2) + sumOfSquares(a) + sumOfSquares(b) - 2 * tr;
  }
  return { value, traceSqrtProduct: tr, dim, n1, n2, route, warning };
}
