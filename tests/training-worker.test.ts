// The real worker thread (compiled worker.js) on tiny runs: the message sequence, a
// corrupt image, cancellation, and a backend that is not installed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CycleGanConfig, WorkerInput, WorkerMessage } from '../src/training/protocol.js';
import { SPLITS } from '../src/training/data.js';
import { bundledDatasetRoot } from '../src/paths.js';
import { tinyCycleGanConfig } from './helpers/tiny-cyclegan-config.js';

const WORKER = new URL('../src/training/worker.js', import.meta.url);
let scratch: string;
let datasetRoot: string;

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'lab-worker-test-'));
  // A small copy of the bundled dataset that the corrupt-file test can spoil.
  datasetRoot = join(scratch, 'dataset');
  for (const split of SPLITS) {
    mkdirSync(join(datasetRoot, split), { recursive: true });
    const files = readdirSync(join(bundledDatasetRoot(), split)).sort().slice(0, 4);
    for (const f of files) copyFileSync(join(bundledDatasetRoot(), split, f), join(datasetRoot, split, f));
  }
});
after(() => rmSync(scratch, { recursive: true, force: true }));

const tiny = (root: string, overrides: Partial<CycleGanConfig> = {}): CycleGanConfig => tinyCycleGanConfig({ id: 'd', name: 'tiny', root }, overrides);

interface Outcome {
  messages: WorkerMessage[];
  exitCode: number;
}

/** Starts the worker and collects its messages until the thread exits. */
function runWorker(input: WorkerInput, onMessage?: (m: WorkerMessage, worker: Worker) => void): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: input });
    const messages: WorkerMessage[] = [];
    worker.on('message', (m: WorkerMessage) => {
      messages.push(m);
      onMessage?.(m, worker);
    });
    worker.on('error', reject);
    worker.on('exit', (exitCode) => resolve({ messages, exitCode }));
  });
}

const input = (name: string, config: CycleGanConfig, backend: WorkerInput['backend'] = 'wasm'): WorkerInput => ({
  runId: name,
  config,
  backend,
  runDir: join(scratch, 'runs', name),
  resumeFrom: null,
  imageCacheDir: join(scratch, 'cache'),
});

test('a worker trains a tiny CycleGAN and reports started, epochs, samples, checkpoints and done', async () => {
  const { messages, exitCode } = await runWorker(input('ok', tiny(datasetRoot)));
  assert.equal(exitCode, 0);
  const types = messages.map((m) => m.type);
  assert.deepEqual(messages[0], { type: 'started', backend: 'wasm', epochsTotal: 2, iterationsPerEpoch: 4, resumedAtEpoch: 0 });
  assert.equal(types.at(-1), 'done');
  assert.equal(types.filter((t) => t === 'epoch').length, 2);
  assert.equal(types.filter((t) => t === 'checkpoint').length, 2);
  assert.ok(types.includes('metric_points'));
  const samples = messages.filter((m): m is Extract<WorkerMessage, { type: 'sample' }> => m.type === 'sample');
  assert.equal(samples.length, 2 * 2 * 4, '2 epochs x 2 domains x real/fake/rec/idt');
  assert.ok(samples.every((s) => existsSync(s.path) && s.path.startsWith(join(scratch, 'runs', 'ok', 'samples'))));
  const checkpoint = messages.find((m): m is Extract<WorkerMessage, { type: 'checkpoint' }> => m.type === 'checkpoint')!;
  assert.match(checkpoint.sha256, /^[0-9a-f]{64}$/);
  assert.ok(checkpoint.bytes > 0 && existsSync(join(checkpoint.path, 'state.json')));
  const points = messages.flatMap((m) => (m.type === 'metric_points' ? m.points : []));
  assert.equal(points.length, 2 * 4 * 8, 'every loss of every iteration');
  assert.ok(readdirSync(join(scratch, 'cache')).length > 0, 'decoded images were cached');
});

test('a corrupt image fails the run with a message naming the file', async () => {
  const root = join(scratch, 'dataset-corrupt');
  for (const split of SPLITS) {
    mkdirSync(join(root, split), { recursive: true });
    for (const f of readdirSync(join(datasetRoot, split))) copyFileSync(join(datasetRoot, split, f), join(root, split, f));
  }
  const bad = join(root, 'trainB', 'n07749192_broken.png');
  writeFileSync(bad, 'this is not a PNG');
  const { messages, exitCode } = await runWorker(input('corrupt', tiny(root)));
  assert.equal(exitCode, 0);
  assert.equal(messages.length, 1);
  const [m] = messages;
  assert.equal(m.type, 'failed');
  assert.ok(m.type === 'failed' && m.error.includes(bad), `error does not name the file: ${JSON.stringify(m)}`);
  // With onBadImage 'skip' the same dataset trains.
  const skip = await runWorker(input('skip', tiny(root, { onBadImage: 'skip', epochsDecay: 0 })));
  assert.equal(skip.messages.at(-1)?.type, 'done');
  const started = skip.messages[0];
  assert.ok(started.type === 'started' && started.skippedImages?.length === 1 && started.skippedImages[0].file === bad);
});

test('cancel stops the run between iterations with a cancelled message', async () => {
  const { messages, exitCode } = await runWorker(input('cancel', tiny(datasetRoot, { epochs: 50 })), (m, worker) => {
    if (m.type === 'epoch') worker.postMessage({ type: 'cancel' });
  });
  assert.equal(exitCode, 0);
  assert.equal(messages.at(-1)?.type, 'cancelled');
  assert.ok(messages.filter((m) => m.type === 'epoch').length <= 2);
});

test('asking for a backend that is not installed fails clearly instead of falling back', async () => {
  const { messages, exitCode } = await runWorker(input('native', tiny(datasetRoot), 'tensorflow'));
  assert.equal(exitCode, 0);
  assert.equal(messages.length, 1);
  assert.equal(messages[0].type, 'failed');
  assert.match((messages[0] as { error: string }).error, /backend 'tensorflow' is not installed .*@tensorflow\/tfjs-node/);
});
