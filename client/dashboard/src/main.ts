// The dashboard's entry: hash routing between the run list, a run and the comparison.
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { showConnectionBanner } from './components/connection-banner.js';
import { comparePage } from './pages/compare-page.js';
import { runListPage } from './pages/run-list-page.js';
import { runPage } from './pages/run-page.js';
import { parseRoute, type Route } from './route.js';

const app = document.getElementById('app')!;
let disposePage: () => void = () => {};

function open(route: Route): () => void {
  switch (route.page) {
    case 'runs':
      return runListPage(app, route.filter);
    case 'run':
      return runPage(app, route.id);
    case 'compare':
      return comparePage(app, route.ids);
  }
}

function render(): void {
  disposePage();
  const route = parseRoute(location.hash);
  for (const link of document.querySelectorAll<HTMLElement>('[data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === (route.page === 'compare' ? 'compare' : 'runs'));
  }
  disposePage = open(route);
  window.scrollTo(0, 0);
}

showConnectionBanner(document.getElementById('connection-banner')!);
window.addEventListener('hashchange', render);
if (!location.hash || location.hash === '#' || location.hash === '#/') history.replaceState(null, '', '#/runs');
render();
