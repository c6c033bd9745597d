// Crash safety with the real training worker: the server (the real CLI, `serve`, in its own
// process) is killed with SIGKILL while the worker writes a checkpoint. The database must
// pass SQLite's integrity check with no partial epoch row, the run must come back
// INTERRUPTED, unfinished checkpoint folders must be ignored (and removed) at resume, and the
// resumed run must redo only the epochs after its last checkpoint, with the same losses.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CYCLEGAN_LOSSES } from '../src/training/cyclegan-trainer.js';
import { gqlData, startTestServer, tempDataDir, waitFor, waitForRunEnd } from './fixtures/lab-api.js';
import { copyTinyDataset, registerDataset } from './fixtures/tiny-dataset.js';

const CLI = new URL('../src/cli/main.js', import.meta.url).pathname;
/** checkpointEvery is left out: at imageSize 16 the API's default is every epoch. */
const TINY_CYCLEGAN = { imageSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nLayers: 2, maxTrainImages: 4, ssimImages: 2, sampleImages: 1, epochs: 3, seed: 5 };
const UNFINISHED = /^\.epoch-\d+\.(tmp|old)-/;

interface EpochRow {
  epoch: number;
  losses: string;
  lr: number;
  duration_ms: number;
  created_at: number;
}

/** `serve` from the CLI as a child process; resolves with its GraphQL URL once it listens. */
async function serveInChild(dataDir: string): Promise<{ child: ChildProcess; graphqlUrl: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--backend', 'wasm', '--max-concurrent-runs', '1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LAB_API_TOKEN: '', LAB_DATASET_ROOTS: '', HOST: '' },
  });
  for await (const line of createInterface({ input: child.stdout! })) {
    const match = /GraphQL\s+(http:\/\/\S+\/graphql)/.exec(line);
    if (match) return { child, graphqlUrl: match[1] };
  }
  throw new Error('the server exited before printing its URL');
}

test('SIGKILL while a checkpoint is written: intact database, INTERRUPTED run, resume redoes only the epochs after the checkpoint', async (t) => {
  const dataDir = tempDataDir();
  const { child, graphqlUrl } = await serveInChild(dataDir);
  const server = { graphqlUrl };
  const datasetId = await registerDataset(server, 'tiny', copyTinyDataset());
  const { startCycleGan } = await gqlData<{ startCycleGan: { id: string; config: { checkpointEvery: number } } }>(
    server,
    'mutation($i: CycleGanInput!) { startCycleGan(input: $i) { id config } }',
    { i: { ...TINY_CYCLEGAN, datasetId } },
  );
  const id = startCycleGan.id;
  assert.equal(startCycleGan.config.checkpointEvery, 1, 'the default checkpoint interval at 16x16 is every epoch');

  // Kill the moment the worker starts writing the epoch-2 checkpoint into its temporary folder.
  const checkpoints = join(dataDir, 'runs', id, 'checkpoints');
  await waitFor('the checkpoints folder', () => (existsSync(checkpoints) ? true : undefined), 180_000);
  const exited = once(child, 'exit');
  const watcher = watch(checkpoints, (_event, name) => {
    if (name?.startsWith('.epoch-0002.tmp-')) child.kill('SIGKILL');
  });
  const giveUp = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const [, signal] = (await exited) as [number | null, string | null];
  clearTimeout(giveUp);
  watcher.close();
  assert.equal(signal, 'SIGKILL');

  const sqlite = new Database(join(dataDir, 'lab.sqlite'));
  assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(sqlite.pragma('foreign_key_check'), []);
  assert.equal((sqlite.prepare('select status from runs where id = ?').get(id) as { status: string }).status, 'RUNNING', 'a crash leaves the run RUNNING');
  const killedEpochs = sqlite.prepare('select epoch, losses, lr, duration_ms, created_at from epochs where run_id = ? order by epoch').all(id) as EpochRow[];
  const killedCheckpoints = (sqlite.prepare('select epoch, path from checkpoints where run_id = ? order by epoch').all(id) as { epoch: number; path: string }[]);
  sqlite.close();
  assert.deepEqual(killedEpochs.map((e) => e.epoch), killedEpochs.map((_, i) => i + 1), 'epoch rows are contiguous from 1');
  for (const row of killedEpochs) {
    const losses = JSON.parse(row.losses) as Record<string, number>;
    assert.deepEqual(Object.keys(losses).sort(), [...CYCLEGAN_LOSSES].sort(), `epoch ${row.epoch} row has every loss`);
    assert.ok(Object.values(losses).every(Number.isFinite) && Number.isFinite(row.lr) && row.duration_ms > 0, `epoch ${row.epoch} row is complete`);
  }
  const lastCheckpoint = Math.max(...killedCheckpoints.map((c) => c.epoch));
  for (const c of killedCheckpoints) assert.ok(existsSync(join(dataDir, c.path, 'state.json')), `stored checkpoint ${c.epoch} is complete on disk`);
  assert.ok(killedEpochs.length - lastCheckpoint <= 1, `at most one epoch (checkpointEvery 1) after the last checkpoint: ${killedEpochs.length} epochs, checkpoint ${lastCheckpoint}`);

  // What a kill in the middle of a checkpoint write leaves; plant one for certain.
  const planted = join(checkpoints, '.epoch-0003.tmp-999-1');
  mkdirSync(join(planted, 'gAB'), { recursive: true });
  writeFileSync(join(planted, 'gAB', 'model.json'), '{"modelTopology": {"class_name": "Mod');
  const leftovers = readdirSync(checkpoints).filter((n) => UNFINISHED.test(n));
  t.diagnostic(`killed with epochs ${killedEpochs.map((e) => e.epoch).join(',')} stored, last checkpoint ${lastCheckpoint}; left on disk: ${leftovers.join(', ')}`);

  const restartedAt = Date.now();
  const server2 = await startTestServer({ dataDir, backend: 'wasm', maxConcurrentRuns: 1 });
  try {
    const RUN = 'query($id: ID!) { run(id: $id) { status error epochs { epoch createdAt losses { name value } } checkpoints { epoch } } }';
    type RunView = { status: string; error: string | null; epochs: { epoch: number; createdAt: string; losses: { name: string; value: number }[] }[]; checkpoints: { epoch: number }[] };
    const interrupted = (await gqlData<{ run: RunView }>(server2, RUN, { id })).run;
    assert.equal(interrupted.status, 'INTERRUPTED', 'startup marks the run INTERRUPTED');
    await gqlData(server2, 'mutation($id: ID!) { resumeRun(id: $id) { id } }', { id });
    const end = await waitForRunEnd(server2, id, 180_000);
    assert.equal(end.status, 'SUCCEEDED', end.error ?? '');
    const run = (await gqlData<{ run: RunView }>(server2, RUN, { id })).run;
    assert.deepEqual(run.epochs.map((e) => e.epoch), [1, 2, 3], 'continuous, no duplicates');
    assert.deepEqual(run.checkpoints.map((c) => c.epoch), [1, 2, 3]);
    for (const e of run.epochs) {
      const before = killedEpochs.find((k) => k.epoch === e.epoch);
      const redone = Date.parse(e.createdAt) >= restartedAt;
      assert.equal(redone, e.epoch > lastCheckpoint, `epoch ${e.epoch}: kept up to the checkpoint (${lastCheckpoint}), redone after it`);
      if (!before) continue;
      // Resuming restores weights, optimizer, image pools and RNG: a redone epoch repeats its losses.
      const stored = JSON.parse(before.losses) as Record<string, number>;
      for (const { name, value } of e.losses) assert.ok(Math.abs(value - stored[name]) <= 1e-5 * Math.max(1, Math.abs(stored[name])), `epoch ${e.epoch} ${name}: ${value} vs ${stored[name]} before the kill`);
    }
    assert.ok(leftovers.includes('.epoch-0003.tmp-999-1'));
    assert.deepEqual(readdirSync(checkpoints).filter((n) => UNFINISHED.test(n)), [], `unfinished checkpoint folders ${leftovers.join(', ')} were removed at resume`);
    for (const epoch of [1, 2, 3]) assert.ok(existsSync(join(checkpoints, `epoch-000${epoch}`, 'state.json')));
  } finally {
    await server2.close();
  }
});
