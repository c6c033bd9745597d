// The run list: one line per run with its kind, status, progress and ETA, backend,
// dataset and created time, a box to pick CycleGAN runs for comparison, and actions.
import type { RunListQuery } from '../../../generated/graphql.js';
import { h } from '../dom.js';
import { formatTime, shortId } from '../format.js';
import { routeHash } from '../route.js';
import { progressBar } from './progress-bar.js';
import { runActions, type RunActionHandlers } from './run-actions.js';
import { statusBadge } from './status-badge.js';

export type RunListRun = RunListQuery['runs']['edges'][number]['node'];

export interface RunsTableOptions extends RunActionHandlers {
  /** Ids picked for comparison; the table adds and removes ids here. */
  picked: Set<string>;
  pickedChanged(): void;
}

const tagChips = (tags: readonly string[]): HTMLElement[] => tags.map((t) => h('span', { class: 'tag' }, t));

function pickBox(run: RunListRun, options: RunsTableOptions): HTMLElement | null {
  if (run.kind !== 'CYCLEGAN') return null;
  const box = h('input', { type: 'checkbox', 'aria-label': `compare ${run.id}`, checked: options.picked.has(run.id) });
  box.addEventListener('change', () => {
    if (box.checked) options.picked.add(run.id);
    else options.picked.delete(run.id);
    options.pickedChanged();
  });
  return box;
}

export function runsTable(runs: readonly RunListRun[], options: RunsTableOptions): HTMLElement {
  if (runs.length === 0) return h('p', { class: 'muted' }, 'No run matches.');
  return h(
    'table',
    { class: 'data runs-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['', 'run', 'kind', 'status', 'progress', 'backend', 'dataset', 'created', ''].map((title) => h('th', {}, title)),
      ),
    ),
    h(
      'tbody',
      {},
      runs.map((run) =>
        h(
          'tr',
          { 'data-run-id': run.id },
          h('td', {}, pickBox(run, options)),
          h('td', {}, h('a', { href: routeHash({ page: 'run', id: run.id }), title: run.id }, shortId(run.id)), ' ', tagChips(run.tags)),
          h('td', {}, run.kind),
          h(
            'td',
            {},
            statusBadge(run.status),
            run.error ? h('div', { class: 'run-error-short', title: run.error }, run.error) : null,
          ),
          h('td', {}, progressBar(run.progress, run.kind)),
          h('td', {}, run.backend ?? '—'),
          h('td', {}, run.dataset.name),
          h('td', {}, formatTime(run.createdAt)),
          h('td', {}, runActions(run, options)),
        ),
      ),
    ),
  );
}
