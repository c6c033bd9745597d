// The GraphQL API against a real server (loopback HTTP, SQLite file in a temp dir) with the
// fixture worker: every mutation rejects bad input with the right code and writes nothing,
// AE-initialised CycleGANs and evaluations link up, files are served only from run folders,
// paging and tags work, and LAB_API_TOKEN guards HTTP, WebSocket and files.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { LabServer } from '../src/server/start.js';
import { fixtureBySeed, gql, gqlData, startTestServer, waitFor, waitForRunEnd, wsClient, type GqlResult } from './fixtures/lab-api.js';

const TABLES = ['datasets', 'runs', 'run_tags', 'epochs', 'metric_points', 'samples', 'checkpoints', 'evaluations', 'image_scores'];

function rowCounts(server: LabServer): Record<string, number> {
  return Object.fromEntries(TABLES.map((t) => [t, server.db.get<{ n: number }>(sql.raw(`select count(*) as n from ${t}`)).n]));
}

/** A dataset folder with `perFolder` 8x8 PNGs in each of the four folders (skipping `omit`). */
async function makeDataset(root: string, perFolder = 2, omit: string | null = null): Promise<string> {
  for (const folder of ['trainA', 'trainB', 'testA', 'testB']) {
    if (folder === omit) continue;
    mkdirSync(join(root, folder), { recursive: true });
    for (let i = 0; i < perFolder; i++) {
      await sharp(Buffer.alloc(8 * 8 * 3, 40 * i), { raw: { width: 8, height: 8, channels: 3 } })
        .png()
        .toFile(join(root, folder, `${i}.png`));
    }
  }
  return root;
}

const START_AE = 'mutation($input: PretrainingInput!) { startPretraining(input: $input) { id status } }';
const START_CYCLEGAN = 'mutation($input: CycleGanInput!) { startCycleGan(input: $input) { id status } }';
const EVALUATE = 'mutation($input: EvaluationInput!) { evaluateRun(input: $input) { id status } }';
const REGISTER = 'mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { id name imageSize counts { trainA trainB testA testB } } }';
const tiny = { imageSize: 16, ngf: 4, nBlocks: 1, epochs: 2, checkpointEvery: 1 };

describe('GraphQL API with the fixture worker', () => {
  let server: LabServer;
  let allowedRoot: string;
  let outsideRoot: string;
  let bundledId: string;
  const runs: Record<string, string> = {};

  const startAe = async (input: Record<string, unknown>): Promise<string> =>
    (await gqlData<{ startPretraining: { id: string } }>(server, START_AE, { input: { datasetId: bundledId, ...tiny, ...input } })).startPretraining.id;
  const finished = async (id: string): Promise<string> => {
    assert.equal((await waitForRunEnd(server, id)).status, 'SUCCEEDED');
    return id;
  };

  before(async () => {
    process.env.FIXTURE_EPOCH_MS = '0';
    allowedRoot = mkdtempSync(join(tmpdir(), 'lab-allowed-'));
    outsideRoot = mkdtempSync(join(tmpdir(), 'lab-outside-'));
    await makeDataset(join(allowedRoot, 'good'));
    await makeDataset(join(allowedRoot, 'no-testB'), 1, 'testB');
    await makeDataset(join(outsideRoot, 'elsewhere'));
    symlinkSync(join(outsideRoot, 'elsewhere'), join(allowedRoot, 'link-out'));
    server = await startTestServer({ workerEntry: fixtureBySeed, maxConcurrentRuns: 4, datasetRoots: [allowedRoot] });
    const { datasets } = await gqlData<{ datasets: { id: string; name: string }[] }>(server, '{ datasets { id name } }');
    bundledId = datasets[0].id;

    runs.aeA = await finished(await startAe({ domain: 'A', seed: 1 }));
    runs.aeB = await finished(await startAe({ domain: 'B', seed: 2 }));
    runs.aeB8 = await finished(await startAe({ domain: 'B', ngf: 8, seed: 3 }));
    runs.aeB32 = await finished(await startAe({ domain: 'B', imageSize: 32, seed: 4 }));
    runs.failed = await startAe({ domain: 'B', seed: 1001 });
    assert.equal((await waitForRunEnd(server, runs.failed)).status, 'FAILED');
    runs.cyclegan = (
      await gqlData<{ startCycleGan: { id: string } }>(server, START_CYCLEGAN, {
        input: { datasetId: bundledId, ...tiny, nLayers: 2, initA: runs.aeA, initB: runs.aeB, seed: 5, tags: ['paper', 'ae-init'] },
      })
    ).startCycleGan.id;
    await finished(runs.cyclegan);
    // A run that keeps training while the bad-input cases run (cancelled in after()).
    process.env.FIXTURE_EPOCH_MS = '600000';
    runs.running = await startAe({ domain: 'B', seed: 6 });
    process.env.FIXTURE_EPOCH_MS = '0';
    await waitFor('the long run to start', async () => {
      const { run } = await gqlData<{ run: { status: string } }>(server, 'query($id: ID!) { run(id: $id) { status } }', { id: runs.running });
      return run.status === 'RUNNING' ? true : undefined;
    });
  });

  after(async () => {
    await gql(server, 'mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: runs.running });
    await server.close();
  });

  test('every mutation given bad input answers with the right code, writes nothing, and the server keeps serving', async () => {
    const ae = (input: Record<string, unknown>) => ({ query: START_AE, variables: { input: { datasetId: bundledId, domain: 'A', ...tiny, ...input } } });
    const cg = (input: Record<string, unknown>) => ({ query: START_CYCLEGAN, variables: { input: { datasetId: bundledId, ...tiny, nLayers: 2, ...input } } });
    const ev = (input: Record<string, unknown>) => ({ query: EVALUATE, variables: { input: { runId: runs.cyclegan, ...input } } });
    const reg = (name: string, root: string) => ({ query: REGISTER, variables: { input: { name, root } } });
    const byId = (mutation: string, id: string) => ({
      query: `mutation($id: ID!) { ${mutation}(id: $id)${mutation === 'deleteRun' ? '' : ' { id }'} }`,
      variables: { id },
    });
    const datasetsBefore = rowCounts(server).datasets;
    const cases: { name: string; op: { query: string; variables: Record<string, unknown> }; code: string; message: RegExp }[] = [
      { name: 'dataset name', op: reg('bad name!', join(allowedRoot, 'good')), code: 'BAD_USER_INPUT', message: /^name must be 1 to 64/ },
      { name: 'dataset root missing', op: reg('x1', join(allowedRoot, 'nope')), code: 'BAD_USER_INPUT', message: /^root: folder .* does not exist/ },
      { name: 'dataset without testB', op: reg('x2', join(allowedRoot, 'no-testB')), code: 'BAD_USER_INPUT', message: /has no testB folder/ },
      { name: 'dataset outside the roots', op: reg('x3', join(outsideRoot, 'elsewhere')), code: 'BAD_USER_INPUT', message: /not inside an allowed dataset root/ },
      { name: 'dataset via symlink out', op: reg('x4', join(allowedRoot, 'link-out')), code: 'BAD_USER_INPUT', message: /not inside an allowed dataset root/ },
      { name: 'dataset via ..', op: reg('x5', `${allowedRoot}/../${outsideRoot.split('/').at(-1)}/elsewhere`), code: 'BAD_USER_INPUT', message: /not inside an allowed dataset root/ },
      { name: 'dataset name taken', op: reg('apple2orange-32', join(allowedRoot, 'good')), code: 'CONFLICT', message: /already registered/ },
      { name: 'negative epochs', op: ae({ epochs: -1 }), code: 'BAD_USER_INPUT', message: /^epochs must be an integer between 1 and 10000 \(got -1\)/ },
      { name: 'unknown dataset', op: ae({ datasetId: 'ds_nope' }), code: 'NOT_FOUND', message: /^datasetId: no dataset with id "ds_nope"/ },
      { name: 'huge image size', op: ae({ imageSize: 1024 }), code: 'BAD_USER_INPUT', message: /^imageSize must be a multiple of 4 between 16 and 256 \(got 1024\)/ },
      { name: 'AE image size not /8', op: ae({ imageSize: 20 }), code: 'BAD_USER_INPUT', message: /^imageSize must be a multiple of 8 for an autoencoder/ },
      { name: 'zero learning rate', op: ae({ learningRate: 0 }), code: 'BAD_USER_INPUT', message: /^learningRate must be a number greater than 0 and at most 1/ },
      { name: 'VAE options on an AE', op: ae({ vae: { klWeight: 1 } }), code: 'BAD_USER_INPUT', message: /vae options are only allowed with kind VAE/ },
      { name: 'wrong type', op: ae({ epochs: 'ten' }), code: 'BAD_USER_INPUT', message: /Int cannot represent non-integer value: "ten"/ },
      { name: 'beyond Int', op: ae({ ngf: 3e9 }), code: 'BAD_USER_INPUT', message: /Int cannot represent non 32-bit signed integer/ },
      { name: 'zero ngf', op: ae({ ngf: 0 }), code: 'BAD_USER_INPUT', message: /^ngf must be an integer between 1 and 256/ },
      { name: 'bad tag', op: ae({ tags: ['has space'] }), code: 'BAD_USER_INPUT', message: /^tags: "has space" is not a tag/ },
      { name: 'unknown init run', op: cg({ initB: 'run_nope' }), code: 'NOT_FOUND', message: /^initB: no run with id "run_nope"/ },
      { name: 'unfinished init run', op: cg({ initB: runs.running }), code: 'CONFLICT', message: /^initB: pretraining run .* is RUNNING; only a SUCCEEDED run/ },
      { name: 'failed init run', op: cg({ initB: runs.failed }), code: 'CONFLICT', message: /is FAILED; only a SUCCEEDED run/ },
      { name: 'init run of the other domain', op: cg({ initB: runs.aeA }), code: 'BAD_USER_INPUT', message: /^initB must be a run trained on domain B/ },
      { name: 'init run with another ngf', op: cg({ initB: runs.aeB8 }), code: 'BAD_USER_INPUT', message: /has ngf 8, this CycleGAN 4; they must match/ },
      { name: 'init run with another size', op: cg({ initB: runs.aeB32 }), code: 'BAD_USER_INPUT', message: /has imageSize 32, this CycleGAN 16/ },
      { name: 'init run not a pretraining', op: cg({ initA: runs.cyclegan }), code: 'BAD_USER_INPUT', message: /^initA must be an AE or VAE run/ },
      { name: 'discriminator too deep', op: cg({ nLayers: 3 }), code: 'BAD_USER_INPUT', message: /^nLayers must be an integer between 1 and 2 at imageSize 16/ },
      { name: 'beta1 of 1', op: cg({ beta1: 1 }), code: 'BAD_USER_INPUT', message: /^beta1 must be a number at least 0 and less than 1/ },
      { name: 'CycleGAN negative epochs', op: cg({ epochs: -3 }), code: 'BAD_USER_INPUT', message: /^epochs must be an integer between 1 and 10000/ },
      { name: 'evaluate unknown run', op: ev({ runId: 'run_nope' }), code: 'NOT_FOUND', message: /^runId: no run with id/ },
      { name: 'evaluate an AE', op: ev({ runId: runs.aeA }), code: 'BAD_USER_INPUT', message: /^runId must be a CYCLEGAN run/ },
      { name: 'evaluate a missing epoch', op: ev({ epoch: 99 }), code: 'NOT_FOUND', message: /no checkpoint at epoch 99 \(checkpoints at: 1, 2\)/ },
      { name: 'KID subsets too large', op: ev({ kidSubsetSize: 100000 }), code: 'BAD_USER_INPUT', message: /^kidSubsetSize must be an integer between 2 and 248/ },
      { name: 'InceptionV3 without weights', op: ev({ extractor: 'INCEPTION_V3' }), code: 'BAD_USER_INPUT', message: /LAB_INCEPTION_WEIGHTS_DIR/ },
      { name: 'cancel unknown', op: byId('cancelRun', 'run_nope'), code: 'NOT_FOUND', message: /^id: no run/ },
      { name: 'cancel finished', op: byId('cancelRun', runs.aeA), code: 'CONFLICT', message: /is SUCCEEDED; only QUEUED or RUNNING/ },
      { name: 'resume finished', op: byId('resumeRun', runs.aeA), code: 'CONFLICT', message: /is SUCCEEDED; only INTERRUPTED, FAILED or CANCELLED/ },
      { name: 'delete running', op: byId('deleteRun', runs.running), code: 'CONFLICT', message: /is RUNNING; cancel it before deleting/ },
      { name: 'delete an init run in use', op: byId('deleteRun', runs.aeB), code: 'CONFLICT', message: /initialised CycleGAN run\(s\) .*; delete those first/ },
      { name: 'tag unknown run', op: { query: 'mutation { tagRun(id: "run_nope", tags: ["a"]) { id } }', variables: {} }, code: 'NOT_FOUND', message: /no run/ },
    ];
    for (const c of cases) {
      const before = rowCounts(server);
      const result: GqlResult<unknown> = await gql(server, c.op.query, c.op.variables);
      assert.equal(result.errors?.length, 1, `${c.name}: one error, got ${JSON.stringify(result)}`);
      const [error] = result.errors!;
      assert.equal(error.extensions?.code, c.code, `${c.name}: ${error.message}`);
      assert.match(error.message, c.message, c.name);
      assert.ok(!JSON.stringify(result).includes('stacktrace') && !/\bat .*\.js:\d+/.test(JSON.stringify(result)), `${c.name}: no stack trace`);
      assert.deepEqual(rowCounts(server), before, `${c.name}: nothing written`);
    }
    const { datasets } = await gqlData<{ datasets: unknown[] }>(server, '{ datasets { id } }');
    assert.equal(datasets.length, datasetsBefore, 'still serving, no dataset added');
  });

  test('registerDataset counts the images of a folder under LAB_DATASET_ROOTS', async () => {
    const { registerDataset } = await gqlData<{ registerDataset: { id: string; name: string; imageSize: number; counts: Record<string, number> } }>(server, REGISTER, {
      input: { name: 'good', root: join(allowedRoot, 'good') },
    });
    const { id: _id, ...dataset } = registerDataset;
    assert.deepEqual(dataset, { name: 'good', imageSize: 8, counts: { trainA: 2, trainB: 2, testA: 2, testB: 2 } });
  });

  test('an AE-initialised CycleGAN names its init runs; evaluations show on the source run and in the comparison table', async () => {
    const { run } = await gqlData<{ run: { config: { init: { gAB: { runId: string; checkpointDir: string }; gBA: { runId: string } } }; initFrom: { gAB: { id: string }; gBA: { id: string } }; tags: string[] } }>(
      server,
      'query($id: ID!) { run(id: $id) { config initFrom { gAB { id } gBA { id } } tags } }',
      { id: runs.cyclegan },
    );
    assert.equal(run.initFrom.gAB.id, runs.aeB, 'G_AB (outputs B) starts from the AE trained on B');
    assert.equal(run.initFrom.gBA.id, runs.aeA);
    assert.equal(run.config.init.gAB.runId, runs.aeB);
    assert.ok(existsSync(join(run.config.init.gAB.checkpointDir, 'state.json')), 'init checkpointDir is the AE run\'s latest checkpoint');
    assert.match(run.config.init.gAB.checkpointDir, /epoch-2$/);
    assert.deepEqual(run.tags, ['ae-init', 'paper']);

    const evalId = (await gqlData<{ evaluateRun: { id: string } }>(server, EVALUATE, { input: { runId: runs.cyclegan, maxImages: 8, kidSubsetSize: 4, kidSubsets: 2, seed: 3 } })).evaluateRun.id;
    await finished(evalId);
    const source = await gqlData<{ run: { evaluationRuns: { id: string; sourceRun: { id: string } }[]; evaluations: { runId: string; metric: string; domain: string; value: number; imageScores: { value: number }[] }[] } }>(
      server,
      'query($id: ID!) { run(id: $id) { evaluationRuns { id sourceRun { id } } evaluations { runId metric domain value imageScores { value } } } }',
      { id: runs.cyclegan },
    );
    assert.deepEqual(source.run.evaluationRuns, [{ id: evalId, sourceRun: { id: runs.cyclegan } }]);
    assert.equal(source.run.evaluations.length, 4);
    assert.ok(source.run.evaluations.every((e) => e.runId === evalId));
    const ssimA = source.run.evaluations.find((e) => e.metric === 'SSIM' && e.domain === 'A')!;
    assert.deepEqual(ssimA.imageScores.map((s) => s.value), [0.4, 0.5, 0.6]);

    const { comparison } = await gqlData<{ comparison: { metric: string; comparison: string; domain: string; runId: string; value: number; n: number; extractor: string | null }[] }>(
      server,
      'query($ids: [ID!]!) { comparison(runIds: $ids) { metric comparison domain runId value n extractor } }',
      { ids: [runs.cyclegan] },
    );
    assert.deepEqual(
      comparison.map((r) => [r.metric, r.domain, r.value, r.extractor]),
      [
        ['FD-ResNet50', 'A', 100, 'resnet50-imagenet'],
        ['FD-ResNet50', 'B', 101, 'resnet50-imagenet'],
        ['SSIM', 'A', 0.5, null],
        ['SSIM', 'B', 0.6, null],
      ],
    );
  });

  test('sample files are served from run folders and nothing else', async () => {
    const { run } = await gqlData<{ run: { samples: { url: string; path: string; epoch: number }[]; sampleEpochs: number[] } }>(
      server,
      'query($id: ID!) { run(id: $id) { sampleEpochs samples { url path epoch } } }',
      { id: runs.aeA },
    );
    assert.deepEqual(run.sampleEpochs, [1, 2]);
    assert.equal(run.samples[0].epoch, 2, 'the latest epoch by default');
    const png = await fetch(run.samples[0].url);
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

    symlinkSync(join(server.config.dataDir, 'lab.sqlite'), join(server.config.dataDir, 'runs', runs.aeA, 'db-link'));
    for (const path of ['runs/%2e%2e/lab.sqlite', 'lab.sqlite', `runs/${runs.aeA}/db-link`, 'runs/%2e%2e%2f..%2flab.sqlite', `runs/${runs.aeA}`]) {
      assert.equal((await fetch(`${server.url}/files/${path}`)).status, 404, path);
    }
  });

  test('malformed HTTP requests get JSON errors without stack traces', async () => {
    const badJson = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    const badUrl = await fetch(`${server.url}/files/runs/%E0%A4%A`);
    for (const response of [badJson, badUrl]) {
      assert.equal(response.status, 400);
      const text = await response.text();
      assert.equal((JSON.parse(text) as GqlResult<unknown>).errors?.[0].extensions?.code, 'BAD_REQUEST');
      assert.doesNotMatch(text, /node_modules|\.js:\d+|<anonymous>/);
    }
  });

  test('runs page with opaque cursors and filter by kind, status and tag', async () => {
    const page = (after: string | null) =>
      gqlData<{ runs: { totalCount: number; edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
        server,
        'query($after: String) { runs(first: 3, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const { runs: connection } = await page(after);
      total = connection.totalCount;
      seen.push(...connection.edges.map((e) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total, 'no run twice');
    const tagged = await gqlData<{ runs: { edges: { node: { id: string } }[] } }>(server, '{ runs(filter: { tag: "paper", kind: CYCLEGAN, status: SUCCEEDED }) { edges { node { id } } } }');
    assert.deepEqual(tagged.runs.edges.map((e) => e.node.id), [runs.cyclegan]);
    const bad = await gql(server, '{ runs(after: "not-a-cursor") { totalCount } }');
    assert.equal(bad.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
  });

  test('deleteRun removes an evaluated run with its evaluation runs, rows and files', async () => {
    const id = (await gqlData<{ startCycleGan: { id: string } }>(server, START_CYCLEGAN, { input: { datasetId: bundledId, ...tiny, nLayers: 2, seed: 8 } })).startCycleGan.id;
    await finished(id);
    const evalId = (await gqlData<{ evaluateRun: { id: string } }>(server, EVALUATE, { input: { runId: id, kidSubsetSize: 4 } })).evaluateRun.id;
    await finished(evalId);
    const before = rowCounts(server);
    assert.ok(readdirSync(join(server.config.dataDir, 'runs', id)).length > 0);
    const { deleteRun } = await gqlData<{ deleteRun: string[] }>(server, 'mutation($id: ID!) { deleteRun(id: $id) }', { id });
    assert.deepEqual(deleteRun.sort(), [id, evalId].sort());
    assert.equal(existsSync(join(server.config.dataDir, 'runs', id)), false);
    const afterCounts = rowCounts(server);
    assert.equal(afterCounts.runs, before.runs - 2);
    assert.equal(afterCounts.evaluations, before.evaluations - 4);
    assert.equal(afterCounts.epochs, before.epochs - 2);
    const { run } = await gqlData<{ run: null }>(server, 'query($id: ID!) { run(id: $id) { id } }', { id });
    assert.equal(run, null);
  });
});

test('LAB_API_TOKEN guards GraphQL over HTTP and WebSocket, and files', async () => {
  const server = await startTestServer({ apiToken: 's3cret' });
  try {
    const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ datasets { id } }' }) });
    assert.equal(response.status, 401);
    const body = (await response.json()) as GqlResult<unknown>;
    assert.equal(body.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
    const ok = await gql<{ datasets: unknown[] }>(server, '{ datasets { id } }', {}, { authorization: 'Bearer s3cret' });
    assert.ok((ok.data?.datasets.length ?? 0) >= 1, 'the built-in datasets');

    const refused = wsClient(server, { authorization: 'Bearer wrong' });
    await assert.rejects(
      new Promise((resolve, reject) => refused.subscribe({ query: 'subscription { runsChanged { runId } }' }, { next: resolve, error: reject, complete: () => reject(new Error('completed')) })),
      (error: { code?: number }) => error.code === 4403,
    );
    await refused.dispose();
    assert.equal((await fetch(`${server.url}/files/runs/x.png`)).status, 401);
    assert.equal((await fetch(`${server.url}/files/runs/x.png?token=s3cret`)).status, 404);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  } finally {
    await server.close();
  }
});
