// The paper-style table: one line per metric x comparison x domain, one column per run,
// value ± std, the best value of a line in bold, warnings as numbered notes below.
import { bestRun, type TableLine } from '../comparison-rows.js';
import { h } from '../dom.js';
import { formatNumber } from '../format.js';

export interface RunColumn {
  id: string;
  label: string;
}

export const comparisonLabel = (comparison: string): string => comparison.toLowerCase().replaceAll('_', ' ');

export function comparisonTable(lines: readonly TableLine[], columns: readonly RunColumn[]): HTMLElement {
  const notes: string[] = [];
  const noteNumber = (warning: string): number => (notes.includes(warning) ? notes.indexOf(warning) : notes.push(warning) - 1) + 1;
  const table = h(
    'table',
    { class: 'data comparison-table' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, 'metric'), h('th', {}, 'comparison'), h('th', {}, 'domain'), columns.map((c) => h('th', { title: c.id, class: 'num' }, c.label))),
    ),
    h(
      'tbody',
      {},
      lines.map((line) => {
        const best = bestRun(line);
        return h(
          'tr',
          {},
          h('td', {}, line.metric, line.extractor ? h('small', { class: 'muted' }, ` ${line.extractor}`) : null),
          h('td', {}, comparisonLabel(line.comparison)),
          h('td', {}, line.domain),
          columns.map((column) => {
            const cell = line.cells.get(column.id);
            if (!cell) return h('td', { class: 'num muted' }, '—');
            return h(
              'td',
              { class: `num${best === column.id ? ' best' : ''}`, title: `n ${cell.n} · epoch ${cell.epoch}` },
              formatNumber(cell.value),
              cell.std !== null ? h('span', { class: 'std' }, ` ± ${formatNumber(cell.std, 2)}`) : null,
              cell.warning ? h('sup', { class: 'warning' }, ` ${noteNumber(cell.warning)}`) : null,
            );
          }),
        );
      }),
    ),
  );
  return h('div', {}, table, notes.length ? h('ol', { class: 'notes' }, notes.map((note) => h('li', {}, note))) : null);
}
