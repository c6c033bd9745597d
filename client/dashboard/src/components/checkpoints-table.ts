import type { DashboardCheckpointFragment } from '../../../generated/graphql.js';
import { h } from '../dom.js';
import { formatBytes, formatTime } from '../format.js';

export function checkpointsTable(checkpoints: readonly DashboardCheckpointFragment[]): HTMLElement {
  if (checkpoints.length === 0) return h('p', { class: 'muted' }, 'No checkpoint yet.');
  return h(
    'table',
    { class: 'data checkpoints' },
    h('thead', {}, h('tr', {}, h('th', {}, 'epoch'), h('th', {}, 'saved'), h('th', {}, 'size'), h('th', {}, 'sha256'), h('th', {}, 'files'))),
    h(
      'tbody',
      {},
      checkpoints.map((c) =>
        h(
          'tr',
          {},
          h('td', { class: 'num' }, c.epoch),
          h('td', {}, formatTime(c.createdAt)),
          h('td', { class: 'num' }, formatBytes(c.bytes)),
          h('td', { title: c.sha256 }, h('code', {}, c.sha256.slice(0, 12))),
          h('td', {}, h('code', {}, c.url)),
        ),
      ),
    ),
  );
}
