import type { DashboardProgressFragment } from '../../../generated/graphql.js';
import { h } from '../dom.js';
import { formatDuration } from '../format.js';

/** Fraction of the run done: finished epochs plus the iterations of the current one. */
export function progressFraction(p: DashboardProgressFragment): number | null {
  if (!p.epochsTotal || !p.iterationsPerEpoch) return null;
  return Math.min(1, ((p.epoch - 1) * p.iterationsPerEpoch + p.iteration) / (p.epochsTotal * p.iterationsPerEpoch));
}

/** A bar with "epoch 2/5 · it 3/8 · ETA 1m 02s"; a dash when the run is not running. */
export function progressBar(progress: DashboardProgressFragment | null): HTMLElement {
  if (!progress) return h('span', { class: 'muted' }, '—');
  const fraction = progressFraction(progress);
  return h(
    'div',
    { class: 'progress' },
    h('progress', { max: 1, ...(fraction === null ? {} : { value: fraction }) }),
    h(
      'span',
      { class: 'progress-text' },
      `epoch ${progress.epoch}${progress.epochsTotal ? `/${progress.epochsTotal}` : ''} · it ${progress.iteration}/${progress.iterationsPerEpoch}`,
      h('span', { class: 'eta' }, ` · ETA ${formatDuration(progress.etaSeconds)}`),
    ),
  );
}
