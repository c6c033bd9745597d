// The store on a real SQLite file (pragmas, migrations, downsampling, transactions,
// cascades), the configuration loader, and the subscription pubsub's bounded queues.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { PubSub } from '../src/server/pubsub.js';
import { migrationsFolder, openDatabase } from '../src/store/database.js';
import { insertDataset } from '../src/store/datasets.js';
import { listEpochs, upsertEpoch } from '../src/store/epochs.js';
import { evaluationsOfRuns, insertEvaluations } from '../src/store/evaluations.js';
import { readMetricSeries, upsertMetricPoints } from '../src/store/metric-points.js';
import { countRuns, deleteRuns, insertRun, interruptRunningRuns, updateRun } from '../src/store/runs.js';
import type { PretrainConfig } from '../src/training/protocol.js';
import { tempDataDir } from './fixtures/lab-api.js';

function freshStore() {
  const database = openDatabase(join(tempDataDir(), 'lab.sqlite'));
  const dataset = insertDataset(database.db, { name: 'd', root: '/d', imageSize: 32, trainA: 1, trainB: 1, testA: 1, testB: 1 });
  const run = insertRun(database.db, { config: { kind: 'AE' } as PretrainConfig, datasetId: dataset.id, seed: 1 });
  return { ...database, dataset, run };
}

test('the database runs in WAL mode with foreign keys on, and migrations apply once', () => {
  const dir = tempDataDir();
  const first = openDatabase(join(dir, 'lab.sqlite'));
  const sqlite = first.db.$client;
  assert.equal(sqlite.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(sqlite.pragma('foreign_keys', { simple: true }), 1);
  const tables = (sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((t) => t.name);
  for (const table of ['checkpoints', 'datasets', 'epochs', 'evaluations', 'image_scores', 'metric_points', 'run_tags', 'runs', 'samples']) {
    assert.ok(tables.includes(table), table);
  }
  first.close();
  const again = openDatabase(join(dir, 'lab.sqlite'));
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  assert.equal((again.db.$client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n, journal.entries.length);
  again.close();
});

test('metric series are averaged into maxPoints equal step buckets, short ones returned as stored', () => {
  const { db, run, close } = freshStore();
  upsertMetricPoints(db, run.id, [
    ...Array.from({ length: 100 }, (_, i) => ({ step: i + 1, name: 'loss', value: i + 1 })),
    { step: 1, name: 'lr', value: 0.5 },
  ]);
  upsertMetricPoints(db, run.id, [{ step: 1, name: 'lr', value: 0.25 }]); // posted again after a resume
  const series = readMetricSeries(db, run.id, { maxPoints: 4 });
  // Buckets of 25 steps: means of 1..25, 26..50, ... at each bucket's last step.
  assert.deepEqual(series.get('loss'), [
    { step: 25, value: 13 },
    { step: 50, value: 38 },
    { step: 75, value: 63 },
    { step: 100, value: 88 },
  ]);
  assert.deepEqual(series.get('lr'), [{ step: 1, value: 0.25 }]);
  const window = readMetricSeries(db, run.id, { names: ['loss'], fromStep: 11, toStep: 13, maxPoints: 10 });
  assert.deepEqual([...window.keys()], ['loss']);
  assert.deepEqual(window.get('loss')!.map((p) => p.step), [11, 12, 13]);
  close();
});

test('an evaluation message is stored all or nothing', () => {
  const { db, run, close } = freshStore();
  const value = { metric: 'SSIM' as const, comparison: 'REAL_VS_FAKE' as const, domain: 'A' as const, value: 0.5, std: 0.1, n: 2, extractor: null, resize: null, warning: null };
  const duplicateImage = [{ image: 'a.png', value: 0.4 }, { image: 'a.png', value: 0.6 }];
  assert.throws(() =>
    insertEvaluations(db, { runId: run.id, subjectRunId: run.id, epoch: 1, split: 'test', values: [{ ...value, imageScores: null }, { ...value, imageScores: duplicateImage }] }),
  );
  assert.equal(evaluationsOfRuns(db, [run.id]).length, 0, 'the first value was rolled back with the failing second');
  close();
});

test('deleting a run removes its rows; RUNNING runs are found and interrupted at startup', () => {
  const { db, run, dataset, close } = freshStore();
  upsertEpoch(db, { runId: run.id, epoch: 1, losses: { rec: 1 }, lr: 1e-3, ssim: null, durationMs: 5 });
  upsertEpoch(db, { runId: run.id, epoch: 1, losses: { rec: 0.5 }, lr: 1e-3, ssim: null, durationMs: 6 });
  assert.deepEqual(listEpochs(db, run.id).map((e) => e.losses), [{ rec: 0.5 }], 'an epoch posted again replaces its row');
  const other = insertRun(db, { config: { kind: 'AE' } as PretrainConfig, datasetId: dataset.id, seed: 2 });
  updateRun(db, other.id, { status: 'RUNNING' });
  assert.deepEqual(interruptRunningRuns(db), [other.id]);
  deleteRuns(db, [run.id]);
  assert.equal(listEpochs(db, run.id).length, 0);
  assert.equal(countRuns(db), 1);
  assert.equal(countRuns(db, { status: 'INTERRUPTED' }), 1);
  close();
});

test('configuration comes from the environment, explicit options win, bad values are named', () => {
  const env = {
    LAB_DATA_DIR: '/tmp/x', PORT: '0', HOST: '::1', LAB_BACKEND: 'wasm', LAB_MAX_CONCURRENT_RUNS: '3', LAB_DATASET_ROOTS: '/a:/b', LAB_API_TOKEN: 't',
    LAB_RUN_MEMORY_MB: '2048', LAB_INTROSPECTION: 'off', LAB_MAX_QUERY_DEPTH: '9', LAB_MAX_QUERY_COST: '500', LAB_WASM_THREADS: '2',
  };
  assert.deepEqual(loadConfig({}, env), {
    dataDir: '/tmp/x',
    host: '::1',
    port: 0,
    backend: 'wasm',
    maxConcurrentRuns: 3,
    wasmThreads: 2,
    datasetRoots: ['/a', '/b'],
    apiToken: 't',
    inceptionWeightsDir: null,
    runMemoryMb: 2048,
    introspection: false,
    maxQueryDepth: 9,
    maxQueryCost: 500,
  });
  const overridden = loadConfig({ port: 4100, apiToken: null, datasetRoots: null }, env);
  assert.equal(overridden.port, 4100);
  assert.equal(overridden.apiToken, null);
  assert.equal(overridden.datasetRoots, null);
  const defaults = loadConfig({}, {});
  assert.equal(defaults.host, '127.0.0.1');
  assert.equal(defaults.port, 4000);
  assert.equal(defaults.backend, 'auto');
  assert.ok(defaults.dataDir.endsWith('lab-data'));
  // The cores are shared by the concurrent runs: 1 run gets them all (up to 8), more runs than cores get 1 each.
  assert.equal(loadConfig({ maxConcurrentRuns: 1 }, {}).wasmThreads, Math.min(8, availableParallelism()));
  assert.equal(loadConfig({ maxConcurrentRuns: availableParallelism() + 1 }, {}).wasmThreads, 1);
  assert.throws(() => loadConfig({}, { LAB_WASM_THREADS: '9' }), /LAB_WASM_THREADS must be an integer between 1 and 8 \(got "9"\)/);
  assert.throws(() => loadConfig({}, { PORT: 'eighty' }), /PORT must be an integer between 0 and 65535 \(got "eighty"\)/);
  assert.throws(() => loadConfig({}, { LAB_BACKEND: 'gpu' }), /LAB_BACKEND must be one of auto, tensorflow, wasm, cpu \(got "gpu"\)/);
  assert.throws(() => loadConfig({}, { LAB_MAX_CONCURRENT_RUNS: '0' }), /LAB_MAX_CONCURRENT_RUNS must be an integer between 1 and 256/);
});

test('a subscriber that falls too far behind is ended with an error; the others keep every event', async () => {
  const pubsub = new PubSub<number>(3);
  const slow = pubsub.subscribe('t');
  const fast = pubsub.subscribe('t');
  const received: number[] = [];
  const reading = (async () => {
    for await (const n of fast) {
      received.push(n);
      if (n === 5) break;
    }
  })();
  for (let n = 1; n <= 5; n++) {
    pubsub.publish('t', n);
    await new Promise((r) => setImmediate(r));
  }
  await reading;
  assert.deepEqual(received, [1, 2, 3, 4, 5]);
  assert.deepEqual([(await slow.next()).value, (await slow.next()).value, (await slow.next()).value], [1, 2, 3]);
  await assert.rejects(slow.next(), /fell more than 3 events behind/);
  assert.equal(pubsub.subscriberCount('t'), 0, 'both subscriptions released');
});
