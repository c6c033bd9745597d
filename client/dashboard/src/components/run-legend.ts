// Which colour is which run, for the box plots of the comparison page.
import { h } from '../dom.js';
import { seriesColor } from '../palette.js';

export function runLegend(labels: readonly string[]): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    labels.map((label, i) => h('span', { class: 'legend-item' }, h('span', { class: 'swatch', style: `background: ${seriesColor(i)}` }), label)),
  );
}
