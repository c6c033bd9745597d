// The comparison query's long rows, pivoted into the paper's table (one line per metric,
// extractor, comparison and domain; one column per run) and exported as CSV.
import type { ComparisonQuery } from '../../generated/graphql.js';
import { toCsv } from './csv.js';

export type ComparisonRow = ComparisonQuery['comparison'][number];

export interface TableLine {
  metric: string;
  extractor: string | null;
  comparison: ComparisonRow['comparison'];
  domain: ComparisonRow['domain'];
  /** By run id. */
  cells: Map<string, ComparisonRow>;
}

/** SSIM: higher is better; the distances (FD, FID, KID): lower is better. */
export const higherIsBetter = (metric: string): boolean => metric.startsWith('SSIM');

/** Lines in the order the server sorted the rows (metric, comparison, domain). */
export function pivotComparison(rows: readonly ComparisonRow[]): TableLine[] {
  const lines = new Map<string, TableLine>();
  for (const row of rows) {
    const key = [row.metric, row.extractor ?? '', row.comparison, row.domain].join('\u0000');
    let line = lines.get(key);
    if (!line) {
      line = { metric: row.metric, extractor: row.extractor, comparison: row.comparison, domain: row.domain, cells: new Map() };
      lines.set(key, line);
    }
    line.cells.set(row.runId, row);
  }
  return [...lines.values()];
}

/** The run id whose value is best on this line, or null with fewer than two values. */
export function bestRun(line: TableLine): string | null {
  const cells = [...line.cells.values()];
  if (cells.length < 2) return null;
  const sign = higherIsBetter(line.metric) ? 1 : -1;
  return cells.reduce((best, c) => (sign * c.value > sign * best.value ? c : best)).runId;
}

export const COMPARISON_CSV_HEADER = ['run_id', 'metric', 'extractor', 'comparison', 'domain', 'epoch', 'n', 'value', 'std', 'warning'] as const;

export function comparisonCsv(rows: readonly ComparisonRow[]): string {
  return toCsv(
    COMPARISON_CSV_HEADER,
    rows.map((r) => [r.runId, r.metric, r.extractor, r.comparison, r.domain, r.epoch, r.n, r.value, r.std, r.warning]),
  );
}
