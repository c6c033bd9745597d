// #/runs/ID: one run, live. Losses and SSIM per epoch, the sample grid with its epoch
// slider, checkpoints, config, progress with ETA, and a failed run's error at the top.
import { checkpointsTable } from '../components/checkpoints-table.js';
import { errorBox } from '../components/error-box.js';
import { LineChart } from '../components/line-chart.js';
import { progressBar } from '../components/progress-bar.js';
import { runActions } from '../components/run-actions.js';
import { runFacts } from '../components/run-facts.js';
import { SampleBrowser } from '../components/sample-browser.js';
import { statusBadge } from '../components/status-badge.js';
import { h, replaceChildren } from '../dom.js';
import { epochSeries } from '../epoch-series.js';
import { shortId } from '../format.js';
import { LiveRun, type LiveRunState } from '../live-run.js';
import type { RunDetail } from '../run-state.js';

export function runPage(root: HTMLElement, id: string): () => void {
  const title = h('h1', {}, `Run ${shortId(id)}`);
  const status = h('span', { class: 'run-status' });
  const failure = h('div', { class: 'run-failure-area' });
  /** Loading and read errors; cleared by the next good read. */
  const readState = h('div', { class: 'messages' }, h('p', { class: 'muted' }, 'Loading the run…'));
  /** Errors of the cancel and resume buttons. */
  const messages = h('div', { class: 'messages' });
  const progress = h('div', { class: 'run-progress' });
  const facts = h('div', { class: 'facts-area' });
  const losses = new LineChart({ title: 'Losses per epoch', yLabel: 'loss', emptyText: 'The loss curves start after the first epoch.' });
  const ssim = new LineChart({ title: 'SSIM per epoch (fixed test subset, mean)', yLabel: 'SSIM', emptyText: 'No SSIM yet.' });
  const samples = new SampleBrowser(id);
  const checkpoints = h('div', {});
  const config = h('pre', { class: 'config' });
  const trainingSections = h(
    'div',
    { class: 'training' },
    h('div', { class: 'charts' }, losses.element, ssim.element),
    samples.element,
    h('section', {}, h('h2', {}, 'Checkpoints'), checkpoints),
  );

  replaceChildren(
    root,
    h('div', { class: 'page-head' }, title, status),
    failure,
    readState,
    messages,
    progress,
    facts,
    trainingSections,
    h('section', {}, h('h2', {}, 'Config'), config),
  );

  // Live events replace only what they change (a PROGRESS event: the progress), so a
  // button is not rebuilt under the pointer and charts are not redrawn for nothing.
  const shown = new Map<string, unknown>();
  const changed = (part: string, value: unknown): boolean => {
    if (shown.has(part) && shown.get(part) === value) return false;
    shown.set(part, value);
    return true;
  };

  const render = ({ run, sampleRevision }: LiveRunState): void => {
    title.textContent = `${run.kind} run ${shortId(run.id)}`;
    title.title = run.id;
    if (changed('status', `${run.status}\n${run.error}`)) renderStatus(run);
    if (changed('progress', run.progress)) replaceChildren(progress, run.progress ? progressBar(run.progress, run.kind) : null);
    const factsKey = JSON.stringify([run.backend, run.startedAt, run.finishedAt, run.tags, run.initFrom, run.sourceRun, run.evaluationRuns, run.dataset]);
    if (changed('facts', factsKey)) replaceChildren(facts, runFacts(run));
    trainingSections.hidden = run.kind === 'EVALUATION';
    if (changed('epochs', run.epochs)) {
      losses.update(epochSeries(run.epochs, (e) => e.losses));
      ssim.update(epochSeries(run.epochs, (e) => e.ssim.map((s) => ({ name: s.name, value: s.mean }))));
    }
    samples.update(run.sampleEpochs, sampleRevision);
    if (changed('checkpoints', run.checkpoints)) replaceChildren(checkpoints, checkpointsTable(run.checkpoints));
    const configText = JSON.stringify(run.config, null, 2);
    if (changed('config', configText)) config.textContent = configText;
  };

  const renderStatus = (run: RunDetail): void => {
    replaceChildren(
      status,
      statusBadge(run.status),
      runActions(run, {
        done: () => {
          replaceChildren(messages);
          void live.reread();
        },
        failed: (message) => replaceChildren(messages, errorBox(new Error(message), 'Action failed')),
      }),
    );
    replaceChildren(
      failure,
      run.status === 'FAILED' ? h('div', { class: 'run-failed', role: 'alert' }, h('h2', {}, 'This run failed'), h('pre', {}, run.error ?? 'no error message was stored')) : null,
    );
  };

  const live = new LiveRun(id, {
    change: (state) => {
      replaceChildren(readState);
      render(state);
    },
    error: (error) => replaceChildren(readState, errorBox(error, 'Cannot follow this run')),
  });

  return () => {
    live.stop();
    losses.destroy();
    ssim.destroy();
    samples.destroy();
  };
}
