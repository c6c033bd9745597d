// Structural similarity, equal to scikit-image 0.19's `structural_similarity`:
//   default:  uniform 7x7 window, use_sample_covariance=True (variances and covariance x 49/48)
//   gaussian: sigma 1.5, truncate 3.5 (radius 5, 11 taps), use_sample_covariance=False
// K1 = 0.01, K2 = 0.03, C1 = (K1 R)^2, C2 = (K2 R)^2 with R = dataRange. scikit-image crops
// (win-1)/2 px on every side before averaging, which removes exactly the pixels whose window
// reaches past the edge, so the border mode never matters: we filter in "valid" mode only.
// Colour images: SSIM per channel, then the plain mean over channels.

/** An image in HWC layout (channels last), row-major. */
export interface SsimImage {
  data: ArrayLike<number>;
  height: number;
  width: number;
  channels: number;
}

export interface SsimOptions {
  /** Distance between the smallest and largest possible value (255 for 8-bit, 2 for [-1,1]). Required. */
  dataRange: number;
  /** Wang et al. 2004 Gaussian window (sigma 1.5) instead of the default uniform 7x7. */
  gaussian?: boolean;
}

const K1 = 0.01;
const K2 = 0.03;
const UNIFORM_WIN = 7;
const GAUSS_SIGMA = 1.5;
const GAUSS_TRUNCATE = 3.5;

interface Window {
  taps: Float64Array;
  /** Factor applied to variances and covariance. */
  covNorm: number;
}

function uniformWindow(): Window {
  const n = UNIFORM_WIN * UNIFORM_WIN;
  return { taps: new Float64Array(UNIFORM_WIN).fill(1 / UNIFORM_WIN), covNorm: n / (n - 1) };
}

/** scipy.ndimage.gaussian_filter1d weights: radius int(truncate * sigma + 0.5), normalised to sum 1. */
function gaussianWindow(): Window {
  const radius = Math.floor(GAUSS_TRUNCATE * GAUSS_SIGMA + 0.5);
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const w = Math.exp((-0.5 * i * i) / (GAUSS_SIGMA * GAUSS_SIGMA));
    taps[i + radius] = w;
    sum += w;
  }
  for (let i = 0; i < taps.length; i++) taps[i] /= sum;
  return { taps, covNorm: 1 };
}

const WINDOWS = { uniform: uniformWindow(), gaussian: gaussianWindow() };

/**
 * Separable "valid" correlation of one plane (h x w) with taps along both axes.
 * `tmp` holds the horizontal pass: h x ow. Output: oh x ow.
 */
function filterValid(src: Float64Array, h: number, w: number, taps: Float64Array, tmp: Float64Array, out: Float64Array): void {
  const k = taps.length;
  const ow = w - k + 1;
  const oh = h - k + 1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += taps[t] * src[row + x + t];
      tmp[y * ow + x] = s;
    }
  }
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += taps[t] * tmp[(y + t) * ow + x];
      out[y * ow + x] = s;
    }
  }
}

function validateImage(name: string, img: SsimImage): void {
  for (const field of ['height', 'width', 'channels'] as const) {
    const v = img[field];
    if (!Number.isInteger(v) || v <= 0) throw new Error(`ssim: ${name}.${field} must be a positive integer, got ${String(v)}`);
  }
  const expected = img.height * img.width * img.channels;
  if (img.data.length !== expected) {
    throw new Error(`ssim: ${name}.data has ${img.data.length} values, expected height*width*channels = ${expected}`);
  }
}

/** Mean SSIM of two images of equal shape (mean over channels for colour). */
export function ssim(a: SsimImage, b: SsimImage, options: SsimOptions): number {
  const dataRange = options?.dataRange;
  if (typeof dataRange !== 'number' || !Number.isFinite(dataRange) || dataRange <= 0) {
    throw new Error(`ssim: options.dataRange is required and must be a positive finite number (e.g. 255 for 8-bit, 2 for [-1,1]), got ${String(dataRange)}`);
  }
  validateImage('a', a);
  validateImage('b', b);
  if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
    throw new Error(`ssim: images differ in shape: a is ${a.height}x${a.width}x${a.channels}, b is ${b.height}x${b.width}x${b.channels}`);
  }
  const { taps, covNorm } = options.gaussian ? WINDOWS.gaussian : WINDOWS.uniform;
  const k = taps.length;
  const { height: h, width: w, channels: c } = a;
  if (h < k || w < k) {
    throw new Error(`ssim: images of ${h}x${w} are smaller than the ${k}x${k} ${options.gaussian ? 'gaussian' : 'uniform'} window`);
  }

  const n = h * w;
  const oh = h - k + 1;
  const ow = w - k + 1;
  const on = oh * ow;
  // Planes: x, y, x*x, y*y, x*y; filtered: the five local means.
  const planes = Array.from({ length: 5 }, () => new Float64Array(n));
  const means = Array.from({ length: 5 }, () => new Float64Array(on));
  const tmp = new Float64Array(h * ow);
  const c1 = (K1 * dataRange) ** 2;
  const c2 = (K2 * dataRange) ** 2;

  let total = 0;
  for (let ch = 0; ch < c; ch++) {
    const [px, py, pxx, pyy, pxy] = planes;
    for (let i = 0; i < n; i++) {
      const x = a.data[i * c + ch];
      const y = b.data[i * c + ch];
      if (Number.isNaN(x) || Number.isNaN(y)) {
        throw new Error(`ssim: ${Number.isNaN(x) ? 'a' : 'b'}.data contains NaN at pixel ${i}, channel ${ch}`);
      }
      px[i] = x;
      py[i] = y;
      pxx[i] = x * x;
      pyy[i] = y * y;
      pxy[i] = x * y;
    }
    for (let p = 0; p < 5; p++) filterValid(planes[p], h, w, taps, tmp, means[p]);
    const [ux, uy, uxx, uyy, uxy] = means;
    let sum = 0;
    for (let i = 0; i < on; i++) {
      const vx = covNorm * (uxx[i] - ux[i] * ux[i]);
      const vy = covNorm * (uyy[i] - uy[i] * uy[i]);
      const vxy = covNorm * (uxy[i] - ux[i] * uy[i]);
      const a1 = 2 * ux[i] * uy[i] + c1;
      const a2 = 2 * vxy + c2;
      const b1 = ux[i] * ux[i] + uy[i] * uy[i] + c1;
      const b2 = vx + vy + c2;
      sum += (a1 * a2) / (b1 * b2);
    }
    total += sum / on;
  }
  return total / c;
}
