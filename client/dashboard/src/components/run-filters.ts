// Filters of the run list: kind, status and tag.
import { h } from '../dom.js';
import { RUN_KINDS, RUN_STATUSES, isRunKind, isRunStatus } from '../enums.js';
import type { RunListFilter } from '../route.js';

const TAG_DEBOUNCE_MS = 300;

export function runFilters(filter: RunListFilter, onChange: (filter: RunListFilter) => void): HTMLElement {
  const choice = (label: string, values: readonly string[], current: string | undefined): HTMLSelectElement =>
    h(
      'select',
      { 'aria-label': label, name: label },
      h('option', { value: '' }, `any ${label}`),
      values.map((v) => h('option', { value: v, selected: v === current }, v)),
    );
  const kind = choice('kind', RUN_KINDS, filter.kind);
  const status = choice('status', RUN_STATUSES, filter.status);
  const tag = h('input', { type: 'search', name: 'tag', placeholder: 'tag', 'aria-label': 'tag', value: filter.tag ?? '' });

  const read = (): RunListFilter => ({
    ...(isRunKind(kind.value) ? { kind: kind.value } : {}),
    ...(isRunStatus(status.value) ? { status: status.value } : {}),
    ...(tag.value.trim() ? { tag: tag.value.trim() } : {}),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  kind.addEventListener('change', () => onChange(read()));
  status.addEventListener('change', () => onChange(read()));
  tag.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => onChange(read()), TAG_DEBOUNCE_MS);
  });
  return h('div', { class: 'filters' }, h('span', { class: 'muted' }, 'Filter:'), kind, status, tag);
}
