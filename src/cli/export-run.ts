import type { RunResults } from '../../client/index.js';

export interface MetricSeries {
  name: string;
  points: { step: number; value: number }[];
}

/** One row of the long-format export: every stored number of a run, one per line. */
export interface ExportRow {
  section: 'loss' | 'lr' | 'duration_ms' | 'ssim' | 'metric' | 'evaluation';
  epoch: number | null;
  step: number | null;
  name: string;
  value: number;
  std: number | null;
  n: number | null;
  comparison: string | null;
  domain: string | null;
  extractor: string | null;
}

export const EXPORT_COLUMNS: (keyof ExportRow)[] = ['section', 'epoch', 'step', 'name', 'value', 'std', 'n', 'comparison', 'domain', 'extractor'];

export function exportRows(run: RunResults, metrics: MetricSeries[]): ExportRow[] {
  const base = { step: null, std: null, n: null, comparison: null, domain: null, extractor: null };
  const rows: ExportRow[] = [];
  for (const e of run.epochs) {
    for (const l of e.losses) rows.push({ ...base, section: 'loss', epoch: e.epoch, name: l.name, value: l.value });
    rows.push({ ...base, section: 'lr', epoch: e.epoch, name: 'lr', value: e.lr });
    rows.push({ ...base, section: 'duration_ms', epoch: e.epoch, name: 'duration_ms', value: e.durationMs });
    for (const s of e.ssim) rows.push({ ...base, section: 'ssim', epoch: e.epoch, name: s.name, value: s.mean, std: s.std, n: s.n });
  }
  for (const series of metrics) {
    for (const p of series.points) rows.push({ ...base, section: 'metric', epoch: null, step: p.step, name: series.name, value: p.value });
  }
  for (const v of run.evaluations) {
    rows.push({ ...base, section: 'evaluation', epoch: v.epoch, name: v.metric, value: v.value, std: v.std, n: v.n, comparison: v.comparison, domain: v.domain, extractor: v.extractor });
  }
  return rows;
}

/** RFC 4180 CSV; numbers are written with full precision so a re-read gives the same doubles. */
export function toCsv(rows: ExportRow[]): string {
  const field = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [EXPORT_COLUMNS.join(','), ...rows.map((r) => EXPORT_COLUMNS.map((c) => field(r[c])).join(','))].join('\n') + '\n';
}

/** Parses what toCsv wrote (used by the round-trip test and by scripts reading exports). */
export function parseCsv(text: string): ExportRow[] {
  const lines = splitCsvRecords(text.trimEnd());
  const header = lines.shift() ?? [];
  const numeric = new Set(['epoch', 'step', 'value', 'std', 'n']);
  return lines.map((cells) => {
    const row: Record<string, unknown> = {};
    header.forEach((column, i) => {
      const cell = cells[i] ?? '';
      row[column] = cell === '' ? null : numeric.has(column) ? Number(cell) : cell;
    });
    return row as unknown as ExportRow;
  });
}

function splitCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  record.push(cell);
  records.push(record);
  return records;
}
