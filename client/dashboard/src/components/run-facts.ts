// The facts of one run: dataset, backend, seed, tags, times, and the runs it is linked to.
import { h } from '../dom.js';
import { formatTime, shortId } from '../format.js';
import { routeHash } from '../route.js';
import type { RunDetail } from '../run-state.js';

const runLink = (run: { id: string; kind: string }): HTMLElement =>
  h('a', { href: routeHash({ page: 'run', id: run.id }), title: run.id }, `${run.kind} ${shortId(run.id)}`);

export function runFacts(run: RunDetail): HTMLElement {
  const facts: [string, Node | string][] = [
    ['dataset', run.dataset.name],
    ['backend', run.backend ?? '—'],
    ['seed', String(run.seed)],
    ['tags', run.tags.length ? h('span', {}, run.tags.map((t) => h('span', { class: 'tag' }, t))) : '—'],
    ['created', formatTime(run.createdAt)],
    ['started', formatTime(run.startedAt)],
    ['finished', formatTime(run.finishedAt)],
  ];
  if (run.initFrom) {
    facts.push(['G_AB from', run.initFrom.gAB ? runLink(run.initFrom.gAB) : 'random init']);
    facts.push(['G_BA from', run.initFrom.gBA ? runLink(run.initFrom.gBA) : 'random init']);
  }
  if (run.sourceRun) {
    facts.push([
      'evaluates',
      h('span', {}, runLink(run.sourceRun), ' ', h('a', { href: routeHash({ page: 'compare', ids: [run.sourceRun.id] }), class: 'compare-link' }, 'table →')),
    ]);
  }
  if (run.evaluationRuns.length) {
    facts.push([
      'evaluations',
      h(
        'span',
        {},
        run.evaluationRuns.flatMap((e) => [runLink({ id: e.id, kind: e.status.toLowerCase() }), ' ']),
        h('a', { href: routeHash({ page: 'compare', ids: [run.id] }), class: 'compare-link' }, 'table →'),
      ),
    ]);
  }
  return h('dl', { class: 'facts' }, facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}
