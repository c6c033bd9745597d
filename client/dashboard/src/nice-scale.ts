// An axis over [min, max] with round tick steps (1, 2, 2.5 or 5 times a power of ten).

export interface NiceScale {
  low: number;
  high: number;
  ticks: number[];
}

export function niceScale(min: number, max: number, targetTicks = 5): NiceScale {
  const span = max - min || Math.abs(max) || 1;
  const raw = span / Math.max(1, targetTicks - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  // Rounded to the step's precision, so 0.1 + 0.2 shows as 0.3.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const round = (v: number): number => Number(v.toFixed(digits));
  // The epsilon keeps 0.08 / 0.02 = 4.000000000000001 from adding a tick.
  const first = Math.floor(min / step + 1e-9);
  const count = Math.max(1, Math.ceil(max / step - 1e-9) - first);
  const ticks = Array.from({ length: count + 1 }, (_, i) => round((first + i) * step));
  return { low: ticks[0], high: ticks[count], ticks };
}
