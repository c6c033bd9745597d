// #/runs: the run list with filters, a start form and the pick for comparison. It
// re-reads on runsChanged, after a reconnect, and every few seconds while a run is
// running (progress and ETA are not pushed on runsChanged).
import { DashboardRunsChangedDocument, RunListDocument, type RunFilter } from '../../../generated/graphql.js';
import { api } from '../api.js';
import { errorBox } from '../components/error-box.js';
import { runFilters } from '../components/run-filters.js';
import { runsTable, type RunListRun } from '../components/runs-table.js';
import { startRunForm } from '../components/start-run-form.js';
import { connection } from '../connection.js';
import { h, replaceChildren } from '../dom.js';
import { routeHash, type RunListFilter } from '../route.js';
import { listen } from '../subscription.js';

/** The API's largest page. */
const PAGE_SIZE = 100;
const PROGRESS_POLL_MS = 3000;
const CHANGE_DEBOUNCE_MS = 200;

export function runListPage(root: HTMLElement, initialFilter: RunListFilter): () => void {
  let filter = initialFilter;
  let request = 0;
  let runs: readonly RunListRun[] = [];
  let changeTimer: ReturnType<typeof setTimeout> | undefined;
  const picked = new Set<string>();

  const count = h('span', { class: 'muted count' });
  const messages = h('div', { class: 'messages' });
  const tableArea = h('div', { class: 'table-area' }, h('p', { class: 'muted' }, 'Loading runs…'));
  const compareButton = h('button', { type: 'button', class: 'compare-picked', disabled: true }, 'Compare picked runs');
  compareButton.addEventListener('click', () => {
    location.hash = routeHash({ page: 'compare', ids: [...picked] });
  });

  const showMessage = (message: HTMLElement | null): void => replaceChildren(messages, message);
  const render = (): void => {
    compareButton.disabled = picked.size < 1;
    compareButton.textContent = `Compare picked runs (${picked.size})`;
    replaceChildren(
      tableArea,
      runsTable(runs, {
        picked,
        pickedChanged: render,
        done: () => void reload(),
        failed: (message) => showMessage(errorBox(new Error(message), 'Action failed')),
      }),
    );
  };

  async function reload(): Promise<void> {
    const mine = ++request;
    const apiFilter: RunFilter = { ...filter };
    try {
      const { runs: page } = await api.request(RunListDocument, { filter: apiFilter, first: PAGE_SIZE });
      if (mine !== request) return;
      runs = page.edges.map((e) => e.node);
      count.textContent = page.totalCount > runs.length ? `${runs.length} newest of ${page.totalCount}` : `${page.totalCount} run${page.totalCount === 1 ? '' : 's'}`;
      render();
    } catch (error) {
      if (mine === request) replaceChildren(tableArea, errorBox(error, 'Cannot read the runs'));
    }
  }

  const scheduleReload = (): void => {
    clearTimeout(changeTimer);
    changeTimer = setTimeout(() => void reload(), CHANGE_DEBOUNCE_MS);
  };

  replaceChildren(
    root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Runs'), count),
    startRunForm((id) => {
      location.hash = routeHash({ page: 'run', id });
    }),
    h(
      'div',
      { class: 'toolbar' },
      runFilters(filter, (next) => {
        filter = next;
        history.replaceState(null, '', routeHash({ page: 'runs', filter }));
        void reload();
      }),
      compareButton,
    ),
    messages,
    tableArea,
  );

  const stopChanges = listen(DashboardRunsChangedDocument, {}, {
    next: scheduleReload,
    error: (error) => showMessage(errorBox(error, 'Live updates stopped')),
  });
  const stopConnection = connection.onChange((change) => change === 'reconnected' && void reload());
  const poll = setInterval(() => {
    if (runs.some((r) => r.status === 'RUNNING')) void reload();
  }, PROGRESS_POLL_MS);
  void reload();

  return () => {
    request += 1;
    clearTimeout(changeTimer);
    clearInterval(poll);
    stopChanges();
    stopConnection();
  };
}
