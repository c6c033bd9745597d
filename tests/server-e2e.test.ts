// End to end with the real training worker (src/training/worker.ts) at tiny sizes on the
// bundled 32x32 apple2orange: runs started over HTTP, their events followed over a real
// WebSocket subscription and compared with what the queries return afterwards; an
// AE-initialised CycleGAN and its evaluation; a server stopped mid-run and restarted on the
// same data dir, after which resumeRun finishes the run from its checkpoint.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LabServer } from '../src/server/start.js';
import { gqlData, startTestServer, tempDataDir, waitForRunEnd, wsClient } from './fixtures/lab-api.js';

const TINY = { imageSize: 16, ngf: 4, nBlocks: 1, epochs: 2, maxTrainImages: 4, ssimImages: 4, sampleImages: 2, checkpointEvery: 1, seed: 11 };
const TINY_CYCLEGAN = { ...TINY, ndf: 4, nLayers: 2 };
const TINY_AE = { ...TINY, latentSize: 8, learningRate: 1e-3 };

const EPOCH_FIELDS = 'epoch lr durationMs createdAt losses { name value } ssim { name mean std n }';
const RUN_EVENTS = `subscription($runId: ID!) { runEvents(runId: $runId) {
  type runId epoch status error
  summary { ${EPOCH_FIELDS} }
  sample { epoch domain kind url }
  checkpoint { epoch bytes sha256 }
  evaluations { id metric comparison domain value n }
} }`;
const RUN_HISTORY = `query($id: ID!) { run(id: $id) { status error backend epochs { ${EPOCH_FIELDS} } checkpoints { epoch bytes sha256 }
  initFrom { gAB { id } gBA { id } } evaluations { id metric comparison domain value n } } }`;

interface Epoch {
  epoch: number;
  lr: number;
  durationMs: number;
  createdAt: string;
  losses: { name: string; value: number }[];
  ssim: { name: string; mean: number; std: number; n: number }[];
}
interface RunEvent {
  type: string;
  epoch: number | null;
  status: string | null;
  error: string | null;
  summary: Epoch | null;
  sample: { epoch: number; url: string } | null;
  checkpoint: { epoch: number; bytes: number; sha256: string } | null;
  evaluations: { id: string }[] | null;
}
interface RunHistory {
  status: string;
  error: string | null;
  backend: string | null;
  epochs: Epoch[];
  checkpoints: { epoch: number; bytes: number; sha256: string }[];
  initFrom: { gAB: { id: string } | null; gBA: { id: string } | null } | null;
  evaluations: { id: string }[];
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED']);
const history = async (server: LabServer, id: string): Promise<RunHistory> => (await gqlData<{ run: RunHistory }>(server, RUN_HISTORY, { id })).run;

/**
 * Follows a run the way a late-joining client does: subscribe, and once the subscription
 * delivers its first event read the history with a query; then collect live events until
 * `until` says stop. Returns the history read at joining and the events.
 */
function follow(server: LabServer, runId: string, until: (event: RunEvent) => boolean): Promise<{ joined: Epoch[]; events: RunEvent[] }> {
  const client = wsClient(server);
  const events: RunEvent[] = [];
  let joined: Promise<Epoch[]> | null = null;
  return new Promise((resolve, reject) => {
    client.subscribe<{ runEvents: RunEvent }>(
      { query: RUN_EVENTS, variables: { runId } },
      {
        next: (result) => {
          if (result.errors) return reject(new Error(JSON.stringify(result.errors)));
          const event = result.data!.runEvents;
          joined ??= history(server, runId).then((h) => h.epochs);
          events.push(event);
          if (until(event)) joined.then((epochs) => resolve({ joined: epochs, events }), reject).finally(() => void client.dispose());
        },
        error: reject,
        complete: () => reject(new Error('subscription completed early')),
      },
    );
  });
}
const untilEnd = (event: RunEvent): boolean => event.type === 'STATUS' && TERMINAL.has(event.status!);

/** Merges history read at joining with live EPOCH events, de-duplicated by epoch number. */
function mergeByEpoch(joined: Epoch[], events: RunEvent[]): Epoch[] {
  const byEpoch = new Map(joined.map((e) => [e.epoch, e]));
  for (const event of events) if (event.type === 'EPOCH') byEpoch.set(event.summary!.epoch, event.summary!);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

describe('real training worker behind the server', () => {
  let server: LabServer;
  let datasetId: string;

  before(async () => {
    server = await startTestServer({ backend: 'auto', maxConcurrentRuns: 2 });
    datasetId = (await gqlData<{ datasets: { id: string }[] }>(server, '{ datasets { id } }')).datasets[0].id;
  });
  after(() => server.close());

  test('AE pretraining and CycleGAN started over HTTP; epoch events over WebSocket equal the stored epochs; AE init and evaluation', async () => {
    const ae = (await gqlData<{ startPretraining: { id: string } }>(server, 'mutation($i: PretrainingInput!) { startPretraining(input: $i) { id } }', {
      i: { ...TINY_AE, datasetId, domain: 'B' },
    })).startPretraining.id;
    const followAe = follow(server, ae, untilEnd);
    const cyclegan = (await gqlData<{ startCycleGan: { id: string } }>(server, 'mutation($i: CycleGanInput!) { startCycleGan(input: $i) { id } }', {
      i: { ...TINY_CYCLEGAN, datasetId },
    })).startCycleGan.id;
    const followCycleGan = follow(server, cyclegan, untilEnd);

    for (const [id, followed] of [[ae, await followAe], [cyclegan, await followCycleGan]] as const) {
      const run = await history(server, id);
      assert.equal(run.status, 'SUCCEEDED', run.error ?? '');
      assert.ok(run.backend === 'wasm' || run.backend === 'tensorflow', `backend ${run.backend}`);
      assert.deepEqual(run.epochs.map((e) => e.epoch), [1, 2]);
      const live = followed.events.filter((e) => e.type === 'EPOCH');
      assert.ok(live.length >= 1, 'epoch events arrived over the WebSocket');
      for (const event of live) {
        assert.equal(event.epoch, event.summary!.epoch);
        assert.deepEqual(event.summary, run.epochs[event.epoch! - 1], `event for epoch ${event.epoch} carries the stored row`);
      }
      assert.deepEqual(mergeByEpoch(followed.joined, followed.events), run.epochs, 'history at joining + live events = every epoch, none missing');
      const checkpointEvents = followed.events.filter((e) => e.type === 'CHECKPOINT').map((e) => e.checkpoint);
      assert.deepEqual(checkpointEvents, run.checkpoints.slice(-checkpointEvents.length));
      const sample = followed.events.find((e) => e.type === 'SAMPLE')!.sample!;
      const png = await fetch(sample.url);
      assert.equal(png.status, 200);
      assert.ok((await png.arrayBuffer()).byteLength > 60, 'a real PNG');
      const names = run.epochs[1].losses.map((l) => l.name);
      assert.ok(names.length > 0 && run.epochs[1].losses.every((l) => Number.isFinite(l.value)), `finite losses ${names}`);
      assert.ok(run.epochs[1].ssim.length > 0, 'SSIM computed on the last epoch');
    }

    const initialised = (await gqlData<{ startCycleGan: { id: string } }>(server, 'mutation($i: CycleGanInput!) { startCycleGan(input: $i) { id } }', {
      i: { ...TINY_CYCLEGAN, datasetId, initB: ae, epochs: 1 },
    })).startCycleGan.id;
    assert.equal((await waitForRunEnd(server, initialised, 120_000)).status, 'SUCCEEDED');
    const run = await history(server, initialised);
    assert.deepEqual(run.initFrom, { gAB: { id: ae }, gBA: null });

    // Evaluation results arrive on the evaluated run's own event stream and in its evaluations.
    const followSource = follow(server, initialised, (e) => e.type === 'EVALUATION');
    await gqlData(server, 'mutation($i: EvaluationInput!) { evaluateRun(input: $i) { id } }', {
      i: { runId: initialised, maxImages: 4, kidSubsetSize: 2, kidSubsets: 3, seed: 1 },
    });
    const { events } = await followSource;
    const evaluated = events.find((e) => e.type === 'EVALUATION')!;
    const stored = (await history(server, initialised)).evaluations;
    assert.ok(stored.length >= 12, `SSIM, FD and KID per comparison and domain (${stored.length})`);
    assert.deepEqual(evaluated.evaluations!.map((e) => e.id), stored.map((e) => e.id));
  });
});

test('a real run stopped with the server resumes from its checkpoint after a restart', async () => {
  const dataDir = tempDataDir();
  let server = await startTestServer({ dataDir, backend: 'auto' });
  const datasetId = (await gqlData<{ datasets: { id: string }[] }>(server, '{ datasets { id } }')).datasets[0].id;
  const id = (await gqlData<{ startCycleGan: { id: string } }>(server, 'mutation($i: CycleGanInput!) { startCycleGan(input: $i) { id } }', {
    i: { ...TINY_CYCLEGAN, datasetId, epochs: 3 },
  })).startCycleGan.id;
  await follow(server, id, (e) => e.type === 'CHECKPOINT');
  await server.close();

  server = await startTestServer({ dataDir, backend: 'auto' });
  try {
    const stopped = await history(server, id);
    assert.equal(stopped.status, 'INTERRUPTED');
    const lastCheckpoint = stopped.checkpoints.at(-1)!.epoch;
    assert.ok(lastCheckpoint < 3);
    await gqlData(server, 'mutation($id: ID!) { resumeRun(id: $id) { id } }', { id });
    assert.equal((await waitForRunEnd(server, id, 120_000)).status, 'SUCCEEDED');
    const run = await history(server, id);
    assert.deepEqual(run.epochs.map((e) => e.epoch), [1, 2, 3], 'continuous, no duplicates');
    assert.deepEqual(run.epochs.slice(0, lastCheckpoint), stopped.epochs.slice(0, lastCheckpoint), 'epochs up to the checkpoint are kept as they were');
    assert.deepEqual(run.checkpoints.map((c) => c.epoch), [1, 2, 3]);
  } finally {
    await server.close();
  }
});
