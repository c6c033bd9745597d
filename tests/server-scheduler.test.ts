// The scheduler against a real server (loopback HTTP, SQLite file in a temp dir) with real
// worker threads from tests/fixtures: faults stay inside their run, the concurrency limit
// and FIFO order hold, cancel works, and a server stopped by SIGTERM mid-run resumes the run
// from its last checkpoint with continuous epochs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { LabServer } from '../src/server/start.js';
import { EPOCH_WORKER_DECAY } from './fixtures/epoch-worker-decay.js';
import { fixtureBySeed, fixtureWorkers, gqlData, startTestServer, tempDataDir, waitFor, waitForRunEnd } from './fixtures/lab-api.js';

const START_AE = `mutation($input: PretrainingInput!) { startPretraining(input: $input) { id status } }`;
const RUN_HISTORY = `query($id: ID!) { run(id: $id) { id status error backend startedAt finishedAt
  epochs { epoch losses { name value } createdAt } checkpoints { epoch } metrics { name points { step value } } } }`;

interface EpochView {
  epoch: number;
  losses: { name: string; value: number }[];
  createdAt: string;
}
interface RunView {
  id: string;
  status: string;
  error: string | null;
  backend: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  epochs: EpochView[];
  checkpoints: { epoch: number }[];
  metrics: { name: string; points: { step: number; value: number }[] }[];
}

const tinyAe = (datasetId: string, extra: Record<string, unknown> = {}) => ({
  datasetId,
  domain: 'A',
  imageSize: 16,
  ngf: 4,
  nBlocks: 1,
  epochs: 3,
  checkpointEvery: 1,
  seed: 7,
  ...extra,
});

async function bundledDatasetId(server: { graphqlUrl: string }): Promise<string> {
  const { datasets } = await gqlData<{ datasets: { id: string; name: string }[] }>(server, '{ datasets { id name } }');
  const bundled = datasets.find((d) => d.name === 'apple2orange-32');
  assert.ok(bundled, 'the bundled dataset is registered at startup');
  return bundled.id;
}

const startRun = async (server: LabServer, input: Record<string, unknown>): Promise<string> =>
  (await gqlData<{ startPretraining: { id: string } }>(server, START_AE, { input })).startPretraining.id;

const runView = async (server: { graphqlUrl: string }, id: string): Promise<RunView> =>
  (await gqlData<{ run: RunView }>(server, RUN_HISTORY, { id })).run;

describe('scheduler with fixture workers', () => {
  let server: LabServer;
  let datasetId: string;

  before(async () => {
    process.env.FIXTURE_EPOCH_MS = '0';
    server = await startTestServer({ workerEntry: fixtureBySeed, maxConcurrentRuns: 3 });
    datasetId = await bundledDatasetId(server);
  });
  after(() => server.close());

  test('a worker that throws, exits or cannot start fails only its own run; a run started beside it finishes', async () => {
    const unstartable = await startRun(server, tinyAe(datasetId, { seed: 1003 }));
    const throwing = await startRun(server, tinyAe(datasetId, { seed: 1001 }));
    const exiting = await startRun(server, tinyAe(datasetId, { seed: 1002 }));
    const healthy = await startRun(server, tinyAe(datasetId, { seed: 7 }));

    const thrown = await waitForRunEnd(server, throwing);
    assert.equal(thrown.status, 'FAILED');
    assert.match(thrown.error ?? '', /worker crashed: injected fault: worker threw/);
    const exited = await waitForRunEnd(server, exiting);
    assert.equal(exited.status, 'FAILED');
    assert.match(exited.error ?? '', /worker exited with code 3 before finishing/);

    const neverStarted = await waitForRunEnd(server, unstartable);
    assert.equal(neverStarted.status, 'FAILED');
    assert.match(neverStarted.error ?? '', /^could not start a worker: /);

    assert.equal((await waitForRunEnd(server, healthy)).status, 'SUCCEEDED');
    const run = await runView(server, healthy);
    assert.deepEqual(run.epochs.map((e) => e.epoch), [1, 2, 3]);
    assert.deepEqual(run.epochs.map((e) => e.losses[0].value), [1, 2, 3].map((k) => EPOCH_WORKER_DECAY ** k));
    assert.equal(run.backend, 'cpu', 'the backend from the started message is stored');
    await waitFor('every worker to exit', async () => {
      const health = await (await fetch(`${server.url}/healthz`)).json();
      return health.ok === true && health.runningRuns === 0 ? true : undefined;
    });
  });

  test('cancelling a RUNNING run ends it CANCELLED; resuming it continues from its checkpoint', async () => {
    process.env.FIXTURE_EPOCH_MS = '200';
    try {
      const id = await startRun(server, tinyAe(datasetId, { epochs: 4 }));
      await waitFor('a checkpoint', async () => ((await runView(server, id)).checkpoints.length > 0 ? true : undefined));
      await gqlData(server, 'mutation($id: ID!) { cancelRun(id: $id) { id } }', { id });
      assert.equal((await waitForRunEnd(server, id)).status, 'CANCELLED');
      const cancelled = await runView(server, id);
      assert.ok(cancelled.epochs.length < 4);

      process.env.FIXTURE_EPOCH_MS = '0';
      await gqlData(server, 'mutation($id: ID!) { resumeRun(id: $id) { id } }', { id });
      assert.equal((await waitForRunEnd(server, id)).status, 'SUCCEEDED');
      const finished = await runView(server, id);
      assert.deepEqual(finished.epochs.map((e) => e.epoch), [1, 2, 3, 4]);
      assert.deepEqual(finished.epochs.map((e) => e.losses[0].value), [1, 2, 3, 4].map((k) => EPOCH_WORKER_DECAY ** k));
    } finally {
      process.env.FIXTURE_EPOCH_MS = '0';
    }
  });
});

test('at most maxConcurrentRuns workers at once, started in FIFO order', async () => {
  process.env.FIXTURE_EPOCH_MS = '60';
  const server = await startTestServer({ workerEntry: fixtureWorkers.epochs, maxConcurrentRuns: 1 });
  try {
    const datasetId = await bundledDatasetId(server);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await startRun(server, tinyAe(datasetId, { epochs: 2, seed: i })));
    const statuses = (await Promise.all(ids.map((id) => runView(server, id)))).map((r) => r.status);
    assert.deepEqual(statuses, ['RUNNING', 'QUEUED', 'QUEUED']);
    for (const id of ids) assert.equal((await waitForRunEnd(server, id)).status, 'SUCCEEDED');
    const runs = await Promise.all(ids.map((id) => runView(server, id)));
    for (let i = 1; i < runs.length; i++) {
      assert.ok(Date.parse(runs[i].startedAt!) >= Date.parse(runs[i - 1].finishedAt!), `run ${i} started after run ${i - 1} finished`);
    }
  } finally {
    process.env.FIXTURE_EPOCH_MS = '0';
    await server.close();
  }
});

test('SIGTERM mid-run interrupts it; after a restart resumeRun finishes it with continuous epochs', async () => {
  const dataDir = tempDataDir();
  const child = spawn(process.execPath, [new URL('./fixtures/serve-process.js', import.meta.url).pathname, dataDir], {
    env: { ...process.env, FIXTURE_EPOCH_MS: '150' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const first = JSON.parse(firstLine[0]) as { url: string; graphqlUrl: string; wsUrl: string };
  const datasetId = await bundledDatasetId(first);
  const { startPretraining } = await gqlData<{ startPretraining: { id: string } }>(first, START_AE, {
    input: tinyAe(datasetId, { epochs: 6, checkpointEvery: 2 }),
  });
  const id = startPretraining.id;
  // Stop after epoch 3: its row is newer than the last checkpoint (epoch 2).
  await waitFor('epoch 3', async () => ((await runView(first, id)).epochs.length >= 3 ? true : undefined));
  child.kill('SIGTERM');
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  assert.equal(signal ?? code, 'SIGTERM', 'the server re-raises the signal after closing');

  // What a crash leaves behind: a run still marked RUNNING.
  const sqlite = new Database(join(dataDir, 'lab.sqlite'));
  const stopped = sqlite.prepare('select status from runs where id = ?').get(id) as { status: string };
  assert.equal(stopped.status, 'INTERRUPTED', 'graceful shutdown marks the run INTERRUPTED');
  sqlite.prepare("update runs set status = 'RUNNING' where id = ?").run(id);
  sqlite.close();

  const restartedAt = Date.now();
  const server = await startTestServer({ dataDir, workerEntry: fixtureWorkers.epochs });
  try {
    const interrupted = await runView(server, id);
    assert.equal(interrupted.status, 'INTERRUPTED', 'startup marks runs left RUNNING as INTERRUPTED');
    assert.ok(interrupted.epochs.length >= 3);
    const checkpointEpoch = Math.max(...interrupted.checkpoints.map((c) => c.epoch));

    await gqlData(server, 'mutation($id: ID!) { resumeRun(id: $id) { id } }', { id });
    assert.equal((await waitForRunEnd(server, id)).status, 'SUCCEEDED');
    const run = await runView(server, id);
    assert.deepEqual(run.epochs.map((e) => e.epoch), [1, 2, 3, 4, 5, 6], 'continuous, no duplicates');
    assert.deepEqual(run.epochs.map((e) => e.losses[0].value), [1, 2, 3, 4, 5, 6].map((k) => EPOCH_WORKER_DECAY ** k));
    for (const e of run.epochs) {
      const rewritten = Date.parse(e.createdAt) >= restartedAt;
      assert.equal(rewritten, e.epoch > checkpointEpoch, `epoch ${e.epoch} is kept up to the checkpoint (${checkpointEpoch}) and redone after it`);
    }
    const steps = run.metrics.find((m) => m.name === 'loss')!.points.map((p) => p.step);
    assert.deepEqual(steps, [4, 8, 12, 16, 20, 24]);
    assert.ok(existsSync(join(dataDir, 'runs', id, 'checkpoints', 'epoch-6', 'state.json')));
  } finally {
    await server.close();
  }
});
