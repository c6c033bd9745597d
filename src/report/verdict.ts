/** One-line verdicts: is the AE-initialised model better, worse, or within noise of the baseline? */

export interface Estimate {
  value: number;
  /** Standard error of `value`, or null when nothing estimates the noise. */
  stdError: number | null;
}

export type Verdict = 'AE init better' | 'AE init worse' | 'within noise' | 'no noise estimate';

/** How many standard errors of the difference count as a real difference. */
const Z = 2;

export function lowerIsBetter(metric: string): boolean {
  return metric !== 'SSIM';
}

export function compare(metric: string, baseline: Estimate, aeInit: Estimate): { verdict: Verdict; text: string } {
  const diff = aeInit.value - baseline.value;
  const better = lowerIsBetter(metric) ? diff < 0 : diff > 0;
  const direction = `${diff >= 0 ? '+' : ''}${fmt(diff)} (AE init ${fmt(aeInit.value)} vs random ${fmt(baseline.value)})`;
  if (baseline.stdError === null || aeInit.stdError === null) {
    return { verdict: 'no noise estimate', text: `${better ? 'AE init better' : 'AE init worse'} on the point estimate only: ${direction}; one ${metric} value per model has no error bar` };
  }
  const se = Math.hypot(baseline.stdError, aeInit.stdError);
  if (Math.abs(diff) <= Z * se) return { verdict: 'within noise', text: `within noise: ${direction}, |diff| <= ${Z} x ${fmt(se)}` };
  return { verdict: better ? 'AE init better' : 'AE init worse', text: `${better ? 'AE init better' : 'AE init worse'}: ${direction}, |diff| > ${Z} x ${fmt(se)}` };
}

/** Mean and standard error over repeated values (seeds); a single value has no error bar. */
export function overSeeds(values: number[]): Estimate {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length < 2) return { value: mean, stdError: null };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return { value: mean, stdError: Math.sqrt(variance / values.length) };
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(3);
  return x.toFixed(a >= 100 ? 2 : 4);
}
