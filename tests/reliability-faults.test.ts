// Faults during runs, injected for real: a full disk (a sample file that is a link to
// /dev/full, so the kernel answers ENOSPC), a run folder that cannot take a checkpoint (its
// checkpoints folder replaced by a file), a dataset folder deleted before and during a run,
// a worker terminated mid-epoch as the OS would kill it, a worker stopped at its memory
// limit, a database that is full (SQLite max_page_count) or read-only (query_only). Each
// fails only its run with an error that says what happened, and the server keeps serving.
// (The tests run as root, which ignores file permissions, hence links and files in the way
// instead of chmod.)
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { LabServer } from '../src/server/start.js';
import type { WorkerInput } from '../src/training/protocol.js';
import { fixtureWorkers, gql, gqlData, startTestServer, waitFor, waitForRunEnd, type GqlResult } from './fixtures/lab-api.js';
import { copyTinyDataset, registerDataset } from './fixtures/tiny-dataset.js';

const TINY = { imageSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nLayers: 2, maxTrainImages: 4, ssimImages: 2, sampleImages: 1, seed: 9 };
const START_CYCLEGAN = 'mutation($i: CycleGanInput!) { startCycleGan(input: $i) { id } }';
const START_AE = 'mutation($i: PretrainingInput!) { startPretraining(input: $i) { id } }';
const RUN = 'query($id: ID!) { run(id: $id) { status error epochs { epoch } checkpoints { epoch } progress { epoch } } }';

interface RunView {
  status: string;
  error: string | null;
  epochs: { epoch: number }[];
  checkpoints: { epoch: number }[];
  progress: { epoch: number } | null;
}
const runView = async (server: LabServer, id: string): Promise<RunView> => (await gqlData<{ run: RunView }>(server, RUN, { id })).run;

async function assertServing(server: LabServer): Promise<void> {
  const health = (await (await fetch(`${server.url}/healthz`)).json()) as { ok: boolean };
  assert.equal(health.ok, true);
  const { datasets } = await gqlData<{ datasets: unknown[] }>(server, '{ datasets { id } }');
  assert.ok(datasets.length >= 1, 'queries answer');
}

describe('faults with the real training worker', () => {
  let server: LabServer;
  let datasetId: string;
  const start = async (input: Record<string, unknown>): Promise<string> =>
    (await gqlData<{ startCycleGan: { id: string } }>(server, START_CYCLEGAN, { i: { datasetId, ...TINY, ...input } })).startCycleGan.id;
  const runFolder = (id: string): string => join(server.config.dataDir, 'runs', id);

  before(async () => {
    server = await startTestServer({ backend: 'wasm', maxConcurrentRuns: 2 });
    datasetId = await registerDataset(server, 'tiny', copyTinyDataset());
  });
  after(() => server.close());

  test('a full disk and an unwritable checkpoints folder fail their runs with the file and the cause', async () => {
    const diskFull = await start({ epochs: 2 });
    // The scheduler made the run folder before answering; the worker is still loading TF.js.
    const samples = join(runFolder(diskFull), 'samples', 'epoch-0001');
    mkdirSync(samples, { recursive: true });
    symlinkSync('/dev/full', join(samples, 'A-00-real.png'));
    const noCheckpoints = await start({ epochs: 2 });
    writeFileSync(join(runFolder(noCheckpoints), 'checkpoints'), 'a file where the checkpoints folder belongs');

    const full = await waitForRunEnd(server, diskFull, 120_000);
    assert.equal(full.status, 'FAILED');
    assert.match(full.error ?? '', /A-00-real\.png: write error[\s\S]*No space left on device/);
    const blocked = await waitForRunEnd(server, noCheckpoints, 120_000);
    assert.equal(blocked.status, 'FAILED');
    assert.match(blocked.error ?? '', /^EEXIST: file already exists, mkdir '.*\/checkpoints'$/);
    assert.deepEqual((await runView(server, noCheckpoints)).checkpoints, [], 'no checkpoint row without a checkpoint');
    await assertServing(server);
  });

  test('a dataset folder deleted before its run loads it fails the run naming the folder; deleted after loading, the run finishes', async () => {
    const root = copyTinyDataset();
    const shared = await registerDataset(server, 'faults-copy', root);
    const early = await start({ datasetId: shared, epochs: 1 });
    const late = await start({ datasetId: shared, epochs: 2 });
    rmSync(join(root, 'trainB'), { recursive: true });
    const failed = await waitForRunEnd(server, early, 120_000);
    assert.equal(failed.status, 'FAILED');
    assert.match(failed.error ?? '', new RegExp(`image folder not found: ${root}/trainB`));
    assert.equal((await waitForRunEnd(server, late, 120_000)).status, 'FAILED', 'a run sharing the folder fails the same way');

    const copy = copyTinyDataset();
    const second = await registerDataset(server, 'faults-copy-2', copy);
    const running = await start({ datasetId: second, epochs: 2 });
    // `progress` appears with the worker's started message, sent once the images are decoded.
    await waitFor('the images to be loaded', async () => ((await runView(server, running)).progress ? true : undefined), 120_000);
    rmSync(copy, { recursive: true });
    const end = await waitForRunEnd(server, running, 120_000);
    assert.equal(end.status, 'SUCCEEDED', `training works from memory once the images are loaded (${end.error})`);

    const refused = await gql(server, START_CYCLEGAN, { i: { datasetId: second, ...TINY, epochs: 1 } });
    assert.equal(refused.errors?.[0].extensions?.code, 'CONFLICT');
    assert.match(refused.errors![0].message, /^datasetId: the folder of dataset "faults-copy-2" \(.*\) no longer exists on the server/);
    await assertServing(server);
  });

  test('a worker killed mid-run fails its run; resuming continues from the last checkpoint', async () => {
    const id = await start({ epochs: 3 });
    await waitFor('the first checkpoint', async () => ((await runView(server, id)).checkpoints.length > 0 ? true : undefined), 120_000);
    // As the OS would kill it: no cancel, no final message.
    const { active } = server.scheduler as unknown as { active: Map<string, { worker: Worker }> };
    await active.get(id)!.worker.terminate();
    const killed = await waitForRunEnd(server, id);
    assert.equal(killed.status, 'FAILED');
    assert.match(killed.error ?? '', /^worker exited with code 1 before finishing$/);
    const kept = (await runView(server, id)).checkpoints.map((c) => c.epoch);
    await gqlData(server, 'mutation($id: ID!) { resumeRun(id: $id) { id } }', { id });
    assert.equal((await waitForRunEnd(server, id, 120_000)).status, 'SUCCEEDED');
    const run = await runView(server, id);
    assert.deepEqual(run.epochs.map((e) => e.epoch), [1, 2, 3]);
    assert.deepEqual(run.checkpoints.map((c) => c.epoch), [1, 2, 3]);
    assert.ok(kept.length >= 1 && kept.every((e) => e < 3), `resumed from checkpoint ${kept.at(-1)}`);
  });
});

const TABLES = ['runs', 'run_tags', 'epochs', 'metric_points', 'samples', 'checkpoints'];
const rowCounts = (server: LabServer): number[] => TABLES.map((t) => server.db.get<{ n: number }>(sql.raw(`select count(*) as n from ${t}`)).n);

/** Fixture workers by seed: 1004 hoards memory until its heap limit stops it, others train. */
const byMemorySeed = (input: WorkerInput): URL => (input.config.seed === 1004 ? new URL('./fixtures/memory-hog-worker.js', import.meta.url) : fixtureWorkers.epochs);
const tinyAe = (datasetId: string, extra: Record<string, unknown>) => ({ datasetId, domain: 'A', imageSize: 16, ngf: 4, nBlocks: 1, epochs: 2, ...extra });

describe('storage and memory faults with fixture workers', () => {
  let server: LabServer;
  let datasetId: string;
  const startAe = async (extra: Record<string, unknown>): Promise<string> =>
    (await gqlData<{ startPretraining: { id: string } }>(server, START_AE, { i: tinyAe(datasetId, extra) })).startPretraining.id;

  before(async () => {
    process.env.FIXTURE_EPOCH_MS = '0';
    server = await startTestServer({ workerEntry: byMemorySeed, maxConcurrentRuns: 2, runMemoryMb: 64 });
    datasetId = (await gqlData<{ datasets: { id: string }[] }>(server, '{ datasets { id } }')).datasets[0].id;
  });
  after(async () => {
    process.env.FIXTURE_EPOCH_MS = '0';
    await server.close();
  });

  test('a worker stopped at its memory limit fails its run with the limit; a run beside it finishes', async () => {
    const hog = await startAe({ seed: 1004 });
    const healthy = await startAe({ seed: 1 });
    const end = await waitForRunEnd(server, hog, 60_000);
    assert.equal(end.status, 'FAILED');
    assert.match(end.error ?? '', /^worker ran out of memory \(.*\blimit LAB_RUN_MEMORY_MB = 64 MB\): lower batchSize, imageSize, ngf or ndf$/);
    assert.equal((await waitForRunEnd(server, healthy)).status, 'SUCCEEDED');
  });

  test('a full database fails the running run and refuses new runs with STORAGE_UNAVAILABLE; with space again both work', async () => {
    // A run whose stored config is larger than a 4 KiB database page needs a new (overflow)
    // page, which a full database must refuse: its dataset root is a 3.8 KB path.
    const deepParent = join(mkdtempSync(join(tmpdir(), 'lab-deep-')), ...Array.from({ length: 15 }, (_, i) => `${i}`.padEnd(250, 'd')));
    mkdirSync(deepParent, { recursive: true });
    const deepId = await registerDataset(server, 'deep', copyTinyDataset(1, deepParent));
    process.env.FIXTURE_EPOCH_MS = '40';
    const id = await startAe({ epochs: 400, seed: 2 });
    await waitFor('a stored epoch', async () => ((await runView(server, id)).epochs.length > 0 ? true : undefined));
    const sqlite = server.db.$client;
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages}`);
    try {
      await waitFor('the worker to be stopped', () => (server.scheduler.runningCount === 0 ? true : undefined));
      const before = rowCounts(server);
      const refused: GqlResult<unknown> = await gql(server, START_AE, { i: tinyAe(deepId, { seed: 3 }) });
      assert.equal(refused.errors?.[0].extensions?.code, 'STORAGE_UNAVAILABLE', JSON.stringify(refused));
      assert.match(refused.errors![0].message, /^the server could not store this \(database or disk is full\): its disk is full: free space in the data dir/);
      assert.deepEqual(rowCounts(server), before, 'the refused mutation wrote nothing');
      await assertServing(server);
    } finally {
      sqlite.pragma('max_page_count = 1073741823');
    }
    // The run's FAILED status is stored once there is room (at once, or at the scheduler's retry).
    const end = await waitForRunEnd(server, id);
    assert.equal(end.status, 'FAILED');
    assert.match(end.error ?? '', /^could not store the worker's \w+ message: database or disk is full$/);
    process.env.FIXTURE_EPOCH_MS = '0';
    await gqlData(server, 'mutation($id: ID!) { resumeRun(id: $id) { id } }', { id });
    assert.equal((await waitForRunEnd(server, id)).status, 'SUCCEEDED');
    const epochs = (await runView(server, id)).epochs.map((e) => e.epoch);
    assert.deepEqual(epochs, Array.from({ length: 400 }, (_, i) => i + 1));
  });

  test('a read-only database: the run cannot store its end, the server keeps serving, and after a restart the run is INTERRUPTED and resumes', async () => {
    process.env.FIXTURE_EPOCH_MS = '40';
    const id = await startAe({ epochs: 400, seed: 4 });
    await waitFor('a stored epoch', async () => ((await runView(server, id)).epochs.length > 0 ? true : undefined));
    server.db.$client.pragma('query_only = ON');
    await waitFor('the worker to be stopped', () => (server.scheduler.runningCount === 0 ? true : undefined));
    await assertServing(server);
    const refused = await gql(server, 'mutation($id: ID!) { tagRun(id: $id, tags: ["x"]) { id } }', { id });
    assert.equal(refused.errors?.[0].extensions?.code, 'STORAGE_UNAVAILABLE');
    assert.match(refused.errors![0].message, /attempt to write a readonly database.*cannot be written/);
    const dataDir = server.config.dataDir;
    await server.close();

    process.env.FIXTURE_EPOCH_MS = '0';
    server = await startTestServer({ dataDir, workerEntry: byMemorySeed, maxConcurrentRuns: 2, runMemoryMb: 64 });
    assert.equal((await runView(server, id)).status, 'INTERRUPTED');
    await gqlData(server, 'mutation($id: ID!) { resumeRun(id: $id) { id } }', { id });
    assert.equal((await waitForRunEnd(server, id)).status, 'SUCCEEDED');
  });
});
