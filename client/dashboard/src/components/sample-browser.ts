// The sample grid of one epoch (rows: test images of A and B; columns: real, fake, rec,
// idt, as far as the run wrote them) with a slider over the epochs that have samples. While the slider is at the latest
// epoch it follows new epochs as they arrive.
import { RunSamplesDocument, type RunSamplesQuery, type SampleKind } from '../../../generated/graphql.js';
import { api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { fileUrl } from '../token.js';
import { errorBox } from './error-box.js';

type Sample = NonNullable<RunSamplesQuery['run']>['samples'][number];

const KINDS: readonly { kind: SampleKind; title: string }[] = [
  { kind: 'REAL', title: 'real' },
  { kind: 'FAKE', title: 'fake (translated)' },
  { kind: 'REC', title: 'rec (reconstructed)' },
  { kind: 'IDT', title: 'idt (identity)' },
];
/** PNGs of one epoch arrive one by one; wait for a quiet moment before re-reading them. */
const RELOAD_DEBOUNCE_MS = 400;

export class SampleBrowser {
  readonly element: HTMLElement;
  private readonly slider = h('input', { type: 'range', min: 0, max: 0, step: 1, value: 0, 'aria-label': 'epoch of the samples' });
  private readonly label = h('span', { class: 'slider-label' });
  private readonly sliderRow = h('div', { class: 'slider' }, this.slider, this.label);
  private readonly grid = h('div', { class: 'sample-grid' });
  private epochs: number[] = [];
  private selected: number | null = null;
  private following = true;
  private revision = -1;
  private request = 0;
  private lastLoadFailed = false;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly runId: string) {
    this.element = h(
      'section',
      { class: 'samples' },
      h('h2', {}, 'Samples'),
      this.sliderRow,
      this.grid,
    );
    this.slider.addEventListener('input', () => {
      const index = Number(this.slider.value);
      this.following = index === this.epochs.length - 1;
      this.select(this.epochs[index]);
    });
    this.showEmpty();
  }

  update(sampleEpochs: readonly number[], revision: number): void {
    const changed = sampleEpochs.join() !== this.epochs.join();
    const samplesArrived = revision !== this.revision;
    this.revision = revision;
    if (changed) {
      this.epochs = [...sampleEpochs];
      this.slider.max = String(Math.max(0, this.epochs.length - 1));
      this.slider.disabled = this.epochs.length < 2;
    }
    if (this.epochs.length === 0) return this.showEmpty();
    const latest = this.epochs[this.epochs.length - 1];
    if (this.selected === null || (this.following && this.selected !== latest)) this.select(latest);
    else if (changed) this.showSelection();
    else if (samplesArrived && (this.selected === latest || this.lastLoadFailed)) this.scheduleReload();
  }

  destroy(): void {
    clearTimeout(this.reloadTimer);
    this.request += 1;
  }

  private showEmpty(): void {
    this.sliderRow.hidden = true;
    replaceChildren(this.grid, h('p', { class: 'muted' }, 'Sample PNGs appear at the end of each epoch.'));
  }

  private select(epoch: number): void {
    this.selected = epoch;
    this.showSelection();
    void this.load(epoch);
  }

  private showSelection(): void {
    this.sliderRow.hidden = false;
    const index = this.selected === null ? -1 : this.epochs.indexOf(this.selected);
    this.slider.value = String(Math.max(0, index));
    this.label.textContent = `epoch ${this.selected} (${index + 1} of ${this.epochs.length}${index === this.epochs.length - 1 ? ', latest' : ''})`;
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => this.selected !== null && void this.load(this.selected), RELOAD_DEBOUNCE_MS);
  }

  private async load(epoch: number): Promise<void> {
    const request = ++this.request;
    try {
      const { run } = await api.request(RunSamplesDocument, { id: this.runId, epoch });
      if (request !== this.request) return;
      this.lastLoadFailed = false;
      this.render(epoch, run?.samples ?? []);
    } catch (error) {
      if (request !== this.request) return;
      this.lastLoadFailed = true;
      replaceChildren(this.grid, errorBox(error, 'Cannot load the samples'));
    }
  }

  private render(epoch: number, samples: readonly Sample[]): void {
    const rows = new Map<string, Map<SampleKind, Sample>>();
    for (const sample of [...samples].sort((a, b) => a.domain.localeCompare(b.domain) || a.index - b.index)) {
      const key = `${sample.domain}\u0000${sample.index}`;
      if (!rows.has(key)) rows.set(key, new Map());
      rows.get(key)!.set(sample.kind, sample);
    }
    // Pretraining runs have no fake or idt images: show only the kinds this run wrote.
    const kinds = KINDS.filter(({ kind }) => samples.some((s) => s.kind === kind));
    const table = h(
      'table',
      { class: 'sample-table', 'data-epoch': epoch },
      h('thead', {}, h('tr', {}, h('th', {}, 'input'), kinds.map(({ title }) => h('th', {}, title)))),
      h(
        'tbody',
        {},
        [...rows.values()].map((byKind) => {
          const first = byKind.values().next().value!;
          return h(
            'tr',
            {},
            h('th', { class: 'sample-label', title: first.image }, `${first.domain} #${first.index}`, h('br'), h('small', {}, first.image)),
            kinds.map(({ kind }) => {
              const sample = byKind.get(kind);
              return h('td', {}, sample ? h('img', { src: fileUrl(sample.url), alt: `${kind.toLowerCase()} ${sample.domain} #${sample.index}, epoch ${epoch}` }) : '—');
            }),
          );
        }),
      ),
    );
    replaceChildren(this.grid, rows.size ? table : h('p', { class: 'muted' }, `No samples stored for epoch ${epoch}.`));
  }
}
