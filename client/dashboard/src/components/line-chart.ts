// A uPlot line chart over epochs. It is rebuilt when the set of series changes and only
// fed new data otherwise, so live points append without flicker. The figure carries
// data-points (epochs drawn) for tests and for a glance in the inspector.
import uPlot from 'uplot';
import { h, replaceChildren } from '../dom.js';
import type { EpochSeries } from '../epoch-series.js';
import { formatNumber } from '../format.js';
import { seriesColor } from '../palette.js';

const HEIGHT = 260;

export interface LineChartOptions {
  title: string;
  yLabel: string;
  /** Shown instead of the chart while there is no point. */
  emptyText: string;
}

export class LineChart {
  readonly element: HTMLElement;
  private readonly plotArea: HTMLElement;
  private plot: uPlot | null = null;
  private seriesKey = '';
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly options: LineChartOptions) {
    this.plotArea = h('div', { class: 'chart-plot' }, h('p', { class: 'muted' }, options.emptyText));
    this.element = h('figure', { class: 'chart', 'data-points': 0 }, h('figcaption', {}, options.title), this.plotArea);
    this.resizeObserver = new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT }));
    this.resizeObserver.observe(this.element);
  }

  update(data: EpochSeries): void {
    this.element.dataset.points = String(data.epochs.length);
    if (data.epochs.length === 0 || data.series.length === 0) {
      this.destroyPlot();
      replaceChildren(this.plotArea, h('p', { class: 'muted' }, this.options.emptyText));
      return;
    }
    const aligned: uPlot.AlignedData = [data.epochs, ...data.series.map((s) => s.values)];
    const key = data.series.map((s) => s.name).join('\n');
    if (this.plot && key === this.seriesKey) {
      this.plot.setData(aligned);
      return;
    }
    this.destroyPlot();
    this.seriesKey = key;
    this.plotArea.replaceChildren();
    this.plot = new uPlot(this.plotOptions(data.series.map((s) => s.name)), aligned, this.plotArea);
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.destroyPlot();
  }

  private destroyPlot(): void {
    this.plot?.destroy();
    this.plot = null;
    this.seriesKey = '';
  }

  private width(): number {
    return Math.max(320, this.element.clientWidth - 16);
  }

  private plotOptions(names: string[]): uPlot.Options {
    return {
      width: this.width(),
      height: HEIGHT,
      scales: { x: { time: false } },
      axes: [{ label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, { label: this.options.yLabel, size: 60 }],
      series: [
        { label: 'epoch' },
        ...names.map((name, i) => ({
          label: name,
          stroke: seriesColor(i),
          width: 1.5,
          spanGaps: true,
          points: { show: true, size: 5 },
          value: (_u: uPlot, v: number | null) => formatNumber(v),
        })),
      ],
    };
  }
}
