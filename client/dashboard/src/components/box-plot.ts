// Box plots as a small SVG: one panel per group, one box per run (quartiles, median,
// Tukey whiskers, outliers, mean as a dot), coloured like the run's legend entry.
import type { BoxStats } from '../box-stats.js';
import { h } from '../dom.js';
import { formatNumber } from '../format.js';
import { niceScale } from '../nice-scale.js';
import { seriesColor } from '../palette.js';

export interface Box {
  /** Short, under the box. */
  label: string;
  /** Index of the run in the page's legend: its colour. */
  colorIndex: number;
  stats: BoxStats;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const HEIGHT = 240;
const MARGIN = { left: 48, right: 12, top: 12, bottom: 34 };
const BAND = 76;

function svg(tag: string, attrs: Record<string, string | number>, ...children: (SVGElement | string)[]): SVGElement {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

export function boxPlot(title: string, boxes: readonly Box[]): HTMLElement {
  const width = MARGIN.left + MARGIN.right + BAND * boxes.length;
  const values = boxes.flatMap((b) => [b.stats.whiskerLow, b.stats.whiskerHigh, ...b.stats.outliers]);
  const scale = niceScale(Math.min(...values), Math.max(...values));
  const y = (v: number): number => MARGIN.top + ((scale.high - v) / (scale.high - scale.low)) * (HEIGHT - MARGIN.top - MARGIN.bottom);

  const axis: SVGElement[] = [svg('line', { x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom, class: 'axis' })];
  for (const tick of scale.ticks) {
    axis.push(
      svg('line', { x1: MARGIN.left, x2: width - MARGIN.right, y1: y(tick), y2: y(tick), class: 'grid' }),
      svg('text', { x: MARGIN.left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'tick' }, String(tick)),
    );
  }

  const drawn = boxes.map(({ label, colorIndex, stats }, i) => {
    const center = MARGIN.left + BAND * (i + 0.5);
    const half = BAND * 0.25;
    const color = seriesColor(colorIndex);
    const hLine = (v: number, halfWidth: number, strokeWidth = 1): SVGElement =>
      svg('line', { x1: center - halfWidth, x2: center + halfWidth, y1: y(v), y2: y(v), stroke: color, 'stroke-width': strokeWidth });
    return svg(
      'g',
      { class: 'box', 'data-n': stats.n },
      svg('title', {}, `${label}: n ${stats.n}, median ${formatNumber(stats.median)}, IQR ${formatNumber(stats.q1)}–${formatNumber(stats.q3)}, mean ${formatNumber(stats.mean)}`),
      svg('line', { x1: center, x2: center, y1: y(stats.whiskerHigh), y2: y(stats.q3), stroke: color }),
      svg('line', { x1: center, x2: center, y1: y(stats.q1), y2: y(stats.whiskerLow), stroke: color }),
      hLine(stats.whiskerHigh, half / 2),
      hLine(stats.whiskerLow, half / 2),
      svg('rect', { x: center - half, y: y(stats.q3), width: 2 * half, height: Math.max(1, y(stats.q1) - y(stats.q3)), fill: color, 'fill-opacity': 0.25, stroke: color }),
      hLine(stats.median, half, 2.5),
      svg('circle', { cx: center, cy: y(stats.mean), r: 2.5, fill: color }),
      ...stats.outliers.map((v) => svg('circle', { cx: center, cy: y(v), r: 2.5, fill: 'none', stroke: color })),
      svg('text', { x: center, y: HEIGHT - MARGIN.bottom + 16, 'text-anchor': 'middle', class: 'box-label' }, label),
      svg('text', { x: center, y: HEIGHT - MARGIN.bottom + 29, 'text-anchor': 'middle', class: 'tick' }, `n=${stats.n}`),
    );
  });

  const chart = svg('svg', { width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', 'aria-label': title }, ...axis, ...drawn);
  const figure = h('figure', { class: 'box-plot' }, h('figcaption', {}, title));
  figure.append(chart);
  return figure;
}
