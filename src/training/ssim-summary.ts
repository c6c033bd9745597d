// Per-epoch SSIM on the fixed test subset: scikit-image's structural_similarity (default
// 7x7 uniform window) on 8-bit RGB, data range 255, summarised as mean, std and n.
import { ssim } from '../metrics/ssim.js';
import type { SsimSummary } from './protocol.js';

export function ssimBytes(a: Uint8Array, b: Uint8Array, size: number): number {
  return ssim({ data: a, height: size, width: size, channels: 3 }, { data: b, height: size, width: size, channels: 3 }, { dataRange: 255 });
}

/** Mean and population standard deviation (numpy's default ddof=0). */
export function summarize(values: number[]): SsimSummary {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n: 0 };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  return { mean, std: Math.sqrt(variance), n };
}

/** SSIM of each pair (reals[i], others[i]), summarised. */
export function ssimSummary(reals: Uint8Array[], others: Uint8Array[], size: number): SsimSummary {
  return summarize(others.map((o, i) => ssimBytes(reals[i], o, size)));
}
