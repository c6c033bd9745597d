import type { ProgressFieldsFragment, RunKind } from '../../../generated/graphql.js';
import { h } from '../dom.js';
import { formatDuration } from '../format.js';

interface Position {
  /** 0..1, or null when unknown (the bar is then indeterminate). */
  fraction: number | null;
  text: string;
}

/**
 * Training runs: finished epochs plus the iterations of the current one. Evaluation runs
 * report the evaluated checkpoint's epoch and count images through the feature extractor.
 */
export function position(p: ProgressFieldsFragment, kind: RunKind): Position {
  if (kind === 'EVALUATION') {
    return p.iterationsPerEpoch ? { fraction: p.iteration / p.iterationsPerEpoch, text: `images ${p.iteration}/${p.iterationsPerEpoch}` } : { fraction: null, text: 'preparing' };
  }
  const epoch = `epoch ${p.epoch}${p.epochsTotal ? `/${p.epochsTotal}` : ''}`;
  if (!p.iterationsPerEpoch) return { fraction: null, text: epoch };
  const fraction = p.epochsTotal ? Math.min(1, ((p.epoch - 1) * p.iterationsPerEpoch + p.iteration) / (p.epochsTotal * p.iterationsPerEpoch)) : null;
  return { fraction, text: `${epoch} · it ${p.iteration}/${p.iterationsPerEpoch}` };
}

/** A bar with "epoch 2/5 · it 3/8 · ETA 1m 02s"; a dash when the run is not running. */
export function progressBar(progress: ProgressFieldsFragment | null, kind: RunKind): HTMLElement {
  if (!progress) return h('span', { class: 'muted' }, '—');
  const { fraction, text } = position(progress, kind);
  return h(
    'div',
    { class: 'progress' },
    h('progress', { max: 1, ...(fraction === null ? {} : { value: fraction }) }),
    h('span', { class: 'progress-text' }, text, h('span', { class: 'eta' }, ` · ETA ${formatDuration(progress.etaSeconds)}`)),
  );
}
