// A set of feature vectors, one row per image (row-major, rows x cols), as produced by a
// feature extractor and consumed by the Fréchet distance and KID.

export interface FeatureMatrix {
  data: ArrayLike<number>;
  /** Number of samples. */
  rows: number;
  /** Feature dimension. */
  cols: number;
}

/** Throws a clear error naming `name` when the matrix is malformed or holds a non-finite value. */
export function checkFeatureMatrix(name: string, f: FeatureMatrix, minRows: number): void {
  if (!Number.isInteger(f.rows) || f.rows < minRows) {
    throw new Error(`${name}: needs at least ${minRows} feature rows (samples), got ${String(f.rows)}`);
  }
  if (!Number.isInteger(f.cols) || f.cols < 1) throw new Error(`${name}: cols must be a positive integer, got ${String(f.cols)}`);
  if (f.data.length !== f.rows * f.cols) {
    throw new Error(`${name}: data has ${f.data.length} values, expected rows*cols = ${f.rows * f.cols}`);
  }
  for (let i = 0; i < f.data.length; i++) {
    if (!Number.isFinite(f.data[i])) {
      throw new Error(`${name}: feature value at row ${Math.floor(i / f.cols)}, column ${i % f.cols} is ${f.data[i]}`);
    }
  }
}

/** Dot product of row i of a and row j of b (both with `cols` columns). */
export function rowDot(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, cols: number): number {
  const oa = i * cols;
  const ob = j * cols;
  let s = 0;
  for (let k = 0; k < cols; k++) s += a[oa + k] * b[ob + k];
  return s;
}
