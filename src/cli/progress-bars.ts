import cliProgress from 'cli-progress';

/** Live progress of several runs: one bar per run, with epoch, iteration and ETA. */
export class RunProgressBars {
  private readonly multi: cliProgress.MultiBar;
  private readonly bars = new Map<string, cliProgress.SingleBar>();
  /** Runs whose progress is one pass (evaluations: images done of all), not epochs x iterations. */
  private readonly singlePass = new Set<string>();

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.multi = new cliProgress.MultiBar(
      {
        stream,
        format: ' {label} |{bar}| {percentage}% | {detail} | ETA {etaText}',
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        // Without a TTY (CI logs, pipes) redraw rarely instead of not at all.
        noTTYOutput: true,
        notTTYSchedule: 10_000,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_grey,
    );
  }

  add(runId: string, label: string, singlePass = false): void {
    if (this.bars.has(runId)) return;
    if (singlePass) this.singlePass.add(runId);
    this.bars.set(runId, this.multi.create(1, 0, { label: label.padEnd(26), detail: 'queued', etaText: '–' }));
  }

  /** Overall fraction done across all epochs of the run. */
  update(runId: string, progress: { epoch: number; epochsTotal: number; iteration: number; iterationsPerEpoch: number; etaSeconds: number | null }): void {
    const bar = this.bars.get(runId);
    if (!bar) return;
    const single = this.singlePass.has(runId);
    const total = Math.max(1, single ? progress.iterationsPerEpoch : progress.epochsTotal * progress.iterationsPerEpoch);
    const done = single ? progress.iteration : (progress.epoch - 1) * progress.iterationsPerEpoch + progress.iteration;
    bar.setTotal(total);
    bar.update(Math.min(done, total), {
      detail: single
        ? `${progress.iteration}/${progress.iterationsPerEpoch} images`
        : `epoch ${progress.epoch}/${progress.epochsTotal} it ${progress.iteration}/${progress.iterationsPerEpoch}`,
      etaText: progress.etaSeconds === null ? '–' : formatDuration(progress.etaSeconds),
    });
  }

  status(runId: string, text: string, finished = false): void {
    const bar = this.bars.get(runId);
    if (!bar) return;
    if (finished) bar.update(bar.getTotal());
    bar.update({ detail: text, etaText: finished ? '0s' : '–' });
  }

  log(line: string): void {
    this.multi.log(`${line}\n`);
  }

  stop(): void {
    this.multi.stop();
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
