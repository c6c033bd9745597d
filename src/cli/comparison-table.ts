import type { ComparisonQuery } from '../../client/index.js';

type Row = ComparisonQuery['comparison'][number];

const formatValue = (r: Row): string => {
  const v = Math.abs(r.value) >= 100 ? r.value.toFixed(2) : r.value.toFixed(4);
  return r.std === null ? v : `${v} ± ${r.std.toFixed(4)}`;
};

/** Markdown table: one line per metric, comparison and domain; one column per run (in the order given). */
export function comparisonMarkdown(rows: Row[], runIds: string[]): string {
  if (rows.length === 0) return 'No evaluations for these runs. Only CYCLEGAN runs are evaluated: with the evaluateRun mutation, or by the experiment command.';
  const columns = runIds.filter((id) => rows.some((r) => r.runId === id));
  const keys = [...new Set(rows.map((r) => `${r.metric}|${r.comparison}|${r.domain}`))];
  const lines = [
    `| metric | comparison | domain | N | ${columns.join(' | ')} |`,
    `| --- | --- | --- | ---: | ${columns.map(() => '---:').join(' | ')} |`,
  ];
  for (const key of keys) {
    const [metric, comparison, domain] = key.split('|');
    const cells = columns.map((id) => rows.find((r) => r.runId === id && `${r.metric}|${r.comparison}|${r.domain}` === key));
    const n = cells.find((c) => c)?.n ?? '';
    lines.push(`| ${metric} | ${comparison} | ${domain} | ${n} | ${cells.map((c) => (c ? formatValue(c) : '–')).join(' | ')} |`);
  }
  return lines.join('\n');
}
