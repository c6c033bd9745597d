// #/compare?ids=a,b: pick CycleGAN runs; see the paper-style table (FD/FID, KID ± std,
// SSIM), the per-image SSIM box plots side by side, and download the table as CSV.
import { ComparisonDocument, DashboardRunScoresDocument, RunListDocument, type DashboardRunScoresQuery } from '../../../generated/graphql.js';
import { api } from '../api.js';
import { boxStats } from '../box-stats.js';
import { boxPlot, type Box } from '../components/box-plot.js';
import { comparisonLabel, comparisonTable, type RunColumn } from '../components/comparison-table.js';
import { errorBox } from '../components/error-box.js';
import { runLegend } from '../components/run-legend.js';
import { statusBadge } from '../components/status-badge.js';
import { comparisonCsv, pivotComparison, type TableLine } from '../comparison-rows.js';
import { h, replaceChildren } from '../dom.js';
import { formatTime, shortId } from '../format.js';
import { routeHash } from '../route.js';

type ScoredRun = NonNullable<DashboardRunScoresQuery['run']>;

const runLabel = (run: { id: string; tags: readonly string[] }): string => [shortId(run.id), ...run.tags].join(' ');

/** The picker: every CycleGAN run (newest first), the compared ones ticked. */
async function runPicker(ids: readonly string[]): Promise<HTMLElement> {
  const { runs } = await api.request(RunListDocument, { filter: { kind: 'CYCLEGAN' }, first: 100 });
  const boxes = runs.edges.map(({ node }) => ({ id: node.id, box: h('input', { type: 'checkbox', value: node.id, checked: ids.includes(node.id) }), node }));
  const button = h('button', { type: 'submit' }, 'Compare');
  const form = h(
    'form',
    { class: 'run-picker' },
    boxes.length === 0
      ? h('p', { class: 'muted' }, 'No CycleGAN run yet.')
      : h(
          'ul',
          {},
          boxes.map(({ box, node }) =>
            h('li', {}, h('label', {}, box, ` ${shortId(node.id)} `, statusBadge(node.status), ' ', node.tags.map((t) => h('span', { class: 'tag' }, t)), h('small', { class: 'muted' }, ` ${formatTime(node.createdAt)}`))),
          ),
        ),
    button,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // Keep the order the runs were given in, then the newly ticked ones.
    const ticked = new Set(boxes.filter((b) => b.box.checked).map((b) => b.id));
    location.hash = routeHash({ page: 'compare', ids: [...ids.filter((id) => ticked.has(id)), ...[...ticked].filter((id) => !ids.includes(id))] });
  });
  return form;
}

/**
 * One box plot per SSIM line of the table (comparison and domain); in each, one box per
 * run: the per-image scores of the evaluation the table shows (its epoch, the newest).
 */
function ssimBoxPlots(runs: readonly ScoredRun[], lines: readonly TableLine[]): HTMLElement[] {
  return lines
    .filter((line) => line.metric === 'SSIM')
    .flatMap((line) => {
      const boxes = runs.flatMap((run, colorIndex): Box[] => {
        const epoch = line.cells.get(run.id)?.epoch;
        const shown = run.evaluations
          .filter((e) => e.metric === 'SSIM' && e.comparison === line.comparison && e.domain === line.domain && e.epoch === epoch)
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
          .at(-1);
        const stats = shown ? boxStats(shown.imageScores.map((s) => s.value)) : null;
        return stats ? [{ label: shortId(run.id), colorIndex, stats }] : [];
      });
      return boxes.length ? [boxPlot(`SSIM ${comparisonLabel(line.comparison)}, domain ${line.domain}`, boxes)] : [];
    });
}

async function comparisonResults(ids: readonly string[], keepUrl: (url: string) => void): Promise<HTMLElement> {
  const [{ comparison }, ...scored] = await Promise.all([
    api.request(ComparisonDocument, { runIds: [...ids] }),
    ...ids.map((id) => api.request(DashboardRunScoresDocument, { id })),
  ]);
  const runs = scored.map((s, i) => {
    if (!s.run) throw new Error(`run ${ids[i]} does not exist`);
    return s.run;
  });
  const columns: RunColumn[] = runs.map((r) => ({ id: r.id, label: runLabel(r) }));
  if (comparison.length === 0) {
    return h('p', { class: 'muted empty-comparison' }, 'These runs have no evaluation yet: queue one with evaluateRun (API) or the CLI, then reload.');
  }
  const csvUrl = URL.createObjectURL(new Blob([comparisonCsv(comparison)], { type: 'text/csv' }));
  keepUrl(csvUrl);
  const lines = pivotComparison(comparison);
  const plots = ssimBoxPlots(runs, lines);
  return h(
    'div',
    { class: 'comparison' },
    h('div', { class: 'section-head' }, h('h2', {}, 'Scores'), h('a', { class: 'button csv-download', href: csvUrl, download: 'comparison.csv' }, 'Download CSV')),
    comparisonTable(lines, columns),
    h('p', { class: 'muted' }, 'Lower is better for FD, FID and KID; higher for SSIM. The best value of each line is in bold; hover a value for N and the evaluated epoch.'),
    h('h2', {}, 'Per-image SSIM'),
    plots.length ? [runLegend(columns.map((c) => c.label)), h('div', { class: 'box-plots' }, plots)] : h('p', { class: 'muted' }, 'No per-image SSIM scores stored for these runs.'),
  );
}

export function comparePage(root: HTMLElement, ids: readonly string[]): () => void {
  let disposed = false;
  const urls: string[] = [];
  const picker = h('div', {}, h('p', { class: 'muted' }, 'Loading the runs…'));
  const results = h('div', { class: 'results' }, ids.length ? h('p', { class: 'muted' }, 'Loading the comparison…') : h('p', { class: 'muted' }, 'Pick runs to compare.'));
  replaceChildren(root, h('div', { class: 'page-head' }, h('h1', {}, 'Compare runs')), h('details', { class: 'picker', open: ids.length === 0 }, h('summary', {}, 'Runs'), picker), results);

  const fill = (area: HTMLElement, content: Promise<HTMLElement>, failure: string): void => {
    content.then(
      (element) => !disposed && replaceChildren(area, element),
      (error) => !disposed && replaceChildren(area, errorBox(error, failure)),
    );
  };
  fill(picker, runPicker(ids), 'Cannot list the runs');
  if (ids.length) fill(results, comparisonResults(ids, (url) => (disposed ? URL.revokeObjectURL(url) : urls.push(url))), 'Cannot compare these runs');

  return () => {
    disposed = true;
    urls.forEach((url) => URL.revokeObjectURL(url));
  };
}
