// Malformed and hostile input, beyond the range checks of server-api.test.ts: wrong types,
// NaN and infinities (as JSON, literals and raw text), huge numbers, empty and near-1 MB
// strings, unknown enum values and input fields, over HTTP and over the WebSocket; then a
// dataset of broken and unusual image files through real pretraining runs with onBadImage
// FAIL and SKIP. Every case gets one clear error, nothing is written, the server keeps serving.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { LabServer } from '../src/server/start.js';
import { gql, gqlData, startTestServer, waitForRunEnd, wsClient, type GqlResult } from './fixtures/lab-api.js';
import { copyTinyDataset, registerDataset } from './fixtures/tiny-dataset.js';

const TABLES = ['datasets', 'runs', 'run_tags', 'epochs', 'metric_points', 'samples', 'checkpoints', 'evaluations'];
const rowCounts = (server: LabServer): Record<string, number> =>
  Object.fromEntries(TABLES.map((t) => [t, server.db.get<{ n: number }>(sql.raw(`select count(*) as n from ${t}`)).n]));

const START_AE = 'mutation($i: PretrainingInput!) { startPretraining(input: $i) { id } }';
const START_CYCLEGAN = 'mutation($i: CycleGanInput!) { startCycleGan(input: $i) { id } }';
const EVALUATE = 'mutation($i: EvaluationInput!) { evaluateRun(input: $i) { id } }';
const REGISTER = 'mutation($i: RegisterDatasetInput!) { registerDataset(input: $i) { id } }';
const TINY_AE = { domain: 'A', imageSize: 16, ngf: 4, nBlocks: 1, latentSize: 8, epochs: 1, ssimImages: 2, sampleImages: 1, learningRate: 1e-3, seed: 3 };
const NEAR_1MB = 'x'.repeat(900_000);
const STACK_TRACE = /\bat .*\.js:\d+|node_modules|stacktrace/;

/** POSTs a body as given (JSON.stringify cannot write NaN or Infinity) and returns status and parsed body. */
async function rawPost(server: LabServer, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, text: await response.text() };
}

describe('hostile input at every mutation', () => {
  let server: LabServer;
  let datasetId: string;
  let allowedRoot: string;

  before(async () => {
    allowedRoot = mkdtempSync(join(tmpdir(), 'lab-hostile-roots-'));
    server = await startTestServer({ datasetRoots: [allowedRoot], backend: 'wasm' });
    datasetId = (await gqlData<{ datasets: { id: string }[] }>(server, '{ datasets { id } }')).datasets[0].id;
  });
  after(() => server.close());

  test('wrong types, non-finite and huge numbers, empty and long strings, unknown enums and fields: one clear error each, nothing written', async () => {
    const ae = (input: Record<string, unknown>) => ({ query: START_AE, variables: { i: { datasetId, ...TINY_AE, ...input } } });
    const cg = (input: Record<string, unknown>) => ({ query: START_CYCLEGAN, variables: { i: { datasetId, imageSize: 16, ngf: 4, nBlocks: 1, nLayers: 2, ...input } } });
    const ev = (input: Record<string, unknown>) => ({ query: EVALUATE, variables: { i: { runId: 'run_x', ...input } } });
    const reg = (input: Record<string, unknown>) => ({ query: REGISTER, variables: { i: input } });
    const byId = (mutation: string, id: unknown, extra = '') => ({ query: `mutation($id: ID!) { ${mutation}(id: $id${extra}) ${mutation === 'deleteRun' ? '' : '{ id }'} }`, variables: { id } });
    const literal = (query: string) => ({ query, variables: {} });
    const VARIABLE = 'BAD_USER_INPUT';
    const VALIDATION = 'GRAPHQL_VALIDATION_FAILED';
    const cases: { name: string; op: { query: string; variables: Record<string, unknown> }; code: string; message: RegExp }[] = [
      { name: 'string for Float', op: ae({ learningRate: 'fast' }), code: VARIABLE, message: /i\.learningRate"; Float cannot represent non numeric value: "fast"/ },
      { name: 'boolean for Int', op: ae({ epochs: true }), code: VARIABLE, message: /i\.epochs"; Int cannot represent non-integer value: true/ },
      { name: 'fraction for Int', op: cg({ nLayers: 2.5 }), code: VARIABLE, message: /i\.nLayers"; Int cannot represent non-integer value: 2\.5/ },
      { name: 'object for ID', op: cg({ datasetId: { $gt: '' } }), code: VARIABLE, message: /i\.datasetId"; ID cannot represent value: \{ \$gt: "" \}/ },
      { name: 'list for ID', op: cg({ initA: ['run_x'] }), code: VARIABLE, message: /i\.initA"; ID cannot represent value: \["run_x"\]/ },
      { name: 'string for input object', op: ae({ kind: 'VAE', vae: 'yes' }), code: VARIABLE, message: /i\.vae"; Expected type "VaeOptionsInput" to be an object/ },
      { name: 'null for a required field', op: cg({ datasetId: null }), code: VARIABLE, message: /i\.datasetId"; Expected non-nullable type "ID!" not to be null/ },
      { name: 'number in a string list', op: ae({ tags: [1] }), code: VARIABLE, message: /i\.tags\[0\]"; String cannot represent a non string value: 1/ },
      { name: 'unknown input field', op: ae({ dropout: 0.5 }), code: VARIABLE, message: /Field "dropout" is not defined by type "PretrainingInput"/ },
      { name: 'unknown enum: kind', op: ae({ kind: 'GAN' }), code: VARIABLE, message: /i\.kind"; Value "GAN" does not exist in "PretrainKind" enum/ },
      { name: 'unknown enum: domain', op: ae({ domain: 'C' }), code: VARIABLE, message: /Value "C" does not exist in "Domain" enum/ },
      { name: 'unknown enum: onBadImage', op: cg({ onBadImage: 'IGNORE' }), code: VARIABLE, message: /Value "IGNORE" does not exist in "BadImagePolicy" enum/ },
      { name: 'unknown enum: extractor', op: ev({ extractor: 'VGG' }), code: VARIABLE, message: /Value "VGG" does not exist in "FeatureExtractor" enum/ },
      { name: 'enum given as a number', op: ae({ domain: 1 }), code: VARIABLE, message: /Enum "Domain" cannot represent non-string value: 1/ },
      { name: 'NaN as a literal', op: literal(`mutation { startPretraining(input: { datasetId: "${datasetId}", domain: A, learningRate: NaN }) { id } }`), code: VALIDATION, message: /Float cannot represent non numeric value: NaN/ },
      { name: 'infinity as a literal', op: literal(`mutation { startCycleGan(input: { datasetId: "${datasetId}", imageSize: 16, ngf: 4, nBlocks: 1, nLayers: 2, lambdaCycle: 1e400 }) { id } }`), code: VARIABLE, message: /^lambdaCycle must be a number at least 0 and at most 1000 \(got Infinity\)/ },
      { name: 'huge Float', op: cg({ learningRate: 1e308 }), code: VARIABLE, message: /^learningRate must be a number greater than 0 and at most 1 \(got 1e\+308\)/ },
      { name: 'huge negative Float', op: cg({ lambdaIdentity: -1e308 }), code: VARIABLE, message: /^lambdaIdentity must be a number at least 0 and at most 10 \(got -1e\+308\)/ },
      { name: 'largest Int', op: ae({ epochs: 2147483647 }), code: VARIABLE, message: /^epochs must be an integer between 1 and 10000 \(got 2147483647\)/ },
      { name: 'beyond Int', op: cg({ maxTrainImages: 1e10 }), code: VARIABLE, message: /Int cannot represent non 32-bit signed integer value: 10000000000/ },
      { name: 'negative seed', op: cg({ seed: -1 }), code: VARIABLE, message: /^seed must be an integer between 0 and 2147483647 \(got -1\)/ },
      { name: 'zero maxTrainImages', op: ae({ maxTrainImages: 0 }), code: VARIABLE, message: /^maxTrainImages must be an integer between 1 and 1000000 \(got 0\)/ },
      { name: 'string for KID subsets', op: ev({ kidSubsets: 'many' }), code: VARIABLE, message: /i\.kidSubsets"; Int cannot represent non-integer value: "many"/ },
      { name: 'empty dataset name', op: reg({ name: '', root: allowedRoot }), code: VARIABLE, message: /^name must be 1 to 64 letters, digits or \. _ - \(got ""\)$/ },
      { name: 'dataset name with ..', op: reg({ name: '../../etc', root: allowedRoot }), code: VARIABLE, message: /^name must be 1 to 64 letters/ },
      { name: 'empty root', op: reg({ name: 'e', root: '' }), code: VARIABLE, message: /^root must name a folder$/ },
      { name: 'root with a NUL byte', op: reg({ name: 'n', root: `${allowedRoot}\u0000/x` }), code: VARIABLE, message: /^root: folder .* does not exist on the server$/ },
      { name: 'root outside the allowed roots', op: reg({ name: 'etc', root: '/etc' }), code: VARIABLE, message: /is not inside an allowed dataset root/ },
      { name: 'near-1 MB dataset name', op: reg({ name: NEAR_1MB, root: allowedRoot }), code: VARIABLE, message: /^name must be 1 to 64 letters, digits or \. _ - \(got "x{80}\.\.\. \(900000 characters\)"\)$/ },
      { name: 'near-1 MB root', op: reg({ name: 'long', root: NEAR_1MB }), code: VARIABLE, message: /^root: folder "x{80}\.\.\. \(900000 characters\)" does not exist on the server$/ },
      { name: 'near-1 MB run id', op: byId('cancelRun', NEAR_1MB), code: 'NOT_FOUND', message: /^id: no run with id "x{80}\.\.\. \(900000 characters\)"$/ },
      { name: 'near-1 MB value for an Int', op: ae({ epochs: NEAR_1MB }), code: VARIABLE, message: /message cut at 1000 characters/ },
      { name: 'empty run id', op: byId('resumeRun', ''), code: 'NOT_FOUND', message: /^id: no run with id ""$/ },
      { name: 'number as run id', op: byId('deleteRun', 12), code: 'NOT_FOUND', message: /^id: no run with id "12"$/ },
      { name: 'empty tag', op: { query: 'mutation { tagRun(id: "run_x", tags: [""]) { id } }', variables: {} }, code: VARIABLE, message: /^tags: "" is not a tag/ },
      { name: '33 tags', op: ae({ tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }), code: VARIABLE, message: /^tags may hold at most 32 tags \(got 33\)/ },
      { name: 'tag of 65 characters', op: ae({ tags: ['t'.repeat(65)] }), code: VARIABLE, message: /is not a tag: use 1 to 64 letters/ },
      { name: 'unknown run filter status', op: literal('{ runs(filter: { status: DONE }) { totalCount } }'), code: VALIDATION, message: /Value "DONE" does not exist in "RunStatus" enum/ },
      { name: 'first beyond the page size', op: literal('{ runs(first: 100000) { totalCount } }'), code: VARIABLE, message: /^first must be an integer between 1 and 100 \(got 100000\)/ },
    ];
    for (const c of cases) {
      const before = rowCounts(server);
      const result: GqlResult<unknown> = await gql(server, c.op.query, c.op.variables);
      const text = JSON.stringify(result);
      assert.equal(result.errors?.length, 1, `${c.name}: one error, got ${text.slice(0, 400)}`);
      const [error] = result.errors!;
      assert.equal(error.extensions?.code, c.code, `${c.name}: ${error.message.slice(0, 300)}`);
      assert.match(error.message, c.message, c.name);
      assert.doesNotMatch(text, STACK_TRACE, `${c.name}: no stack trace`);
      assert.ok(text.length < 2000, `${c.name}: the answer does not echo the input (${text.length} characters)`);
      assert.deepEqual(rowCounts(server), before, `${c.name}: nothing written`);
    }
  });

  test('NaN, Infinity and bodies over 1 MB as raw HTTP get a JSON error, no stack trace', async () => {
    const infinity = await rawPost(server, `{"query": "${START_AE.replaceAll('"', '\\"')}", "variables": {"i": {"datasetId": "${datasetId}", "domain": "A", "learningRate": 1e400}}}`);
    assert.equal(infinity.status, 400);
    assert.match(infinity.text, /Float cannot represent non numeric value: Infinity/);
    const nan = await rawPost(server, '{"query": "{ datasets { id } }", "variables": {"x": NaN}}');
    const huge = await rawPost(server, JSON.stringify({ query: REGISTER, variables: { i: { name: 'x'.repeat(1_100_000), root: allowedRoot } } }));
    const notJson = await rawPost(server, 'mutation { deleteRun(id: "x") }');
    for (const [name, response, status] of [['NaN', nan, 400], ['1.1 MB', huge, 413], ['not JSON', notJson, 400]] as const) {
      assert.equal(response.status, status, name);
      const body = JSON.parse(response.text) as GqlResult<unknown>;
      assert.equal(body.errors?.[0].extensions?.code, 'BAD_REQUEST', name);
      assert.doesNotMatch(response.text, STACK_TRACE, name);
    }
    assert.match(JSON.parse(huge.text).errors[0].message, /request entity too large/);
    const { datasets } = await gqlData<{ datasets: unknown[] }>(server, '{ datasets { id } }');
    assert.ok(datasets.length >= 1, 'still serving');
  });

  test('the same hostile input over the WebSocket gets the same errors', async () => {
    const client = wsClient(server);
    const run = (query: string, variables: Record<string, unknown>): Promise<GqlResult<unknown>> =>
      new Promise((resolve) => {
        let result: GqlResult<unknown> = {};
        client.subscribe({ query, variables }, {
          next: (value) => (result = value as GqlResult<unknown>),
          error: (errors) => resolve({ errors: errors as GqlResult<unknown>['errors'] }),
          complete: () => resolve(result),
        });
      });
    try {
      const before = rowCounts(server);
      const huge = await run(START_CYCLEGAN, { i: { datasetId, imageSize: 16, ngf: 4, nBlocks: 1, nLayers: 2, learningRate: 1e308 } });
      assert.equal(huge.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
      assert.match(huge.errors![0].message, /^learningRate must be a number greater than 0/);
      const enumValue = await run(START_AE, { i: { datasetId, ...TINY_AE, kind: 'GAN' } });
      assert.match(enumValue.errors?.[0].message ?? '', /Value "GAN" does not exist in "PretrainKind" enum/);
      const longId = await run('mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: NEAR_1MB.slice(0, 500_000) });
      assert.match(longId.errors?.[0].message ?? '', /^id: no run with id "x{80}\.\.\. \(500000 characters\)"$/);
      for (const result of [huge, enumValue, longId]) assert.doesNotMatch(JSON.stringify(result), STACK_TRACE);
      assert.deepEqual(rowCounts(server), before);
    } finally {
      await client.dispose();
    }
  });
});

describe('broken and unusual image files through real pretraining runs', () => {
  let server: LabServer;
  let root: string;
  let datasetId: string;
  const BAD = ['b-truncated.png', 'c-empty.png', 'd-text.jpg', 'e-random.png'];
  const UNUSUAL = ['f-cmyk.jpg', 'g-16bit.png', 'h-rgba.png', 'i-odd-17x9.png', 'j-grey.png'];

  before(async () => {
    const allowed = mkdtempSync(join(tmpdir(), 'lab-images-roots-'));
    root = copyTinyDataset(2, allowed);
    const trainA = join(root, 'trainA');
    const solid = (width: number, height: number, channels: 3 | 4) =>
      sharp({ create: { width, height, channels, background: { r: 200, g: 90, b: 30, alpha: 0.5 } } });
    // Names sort the good copies (n0...) after these: registerDataset reads the first file, so start with a good one.
    await solid(16, 16, 3).png().toFile(join(trainA, 'a-good.png'));
    const png = readFileSync(join(trainA, 'a-good.png'));
    writeFileSync(join(trainA, 'b-truncated.png'), png.subarray(0, Math.floor(png.length / 2)));
    writeFileSync(join(trainA, 'c-empty.png'), '');
    writeFileSync(join(trainA, 'd-text.jpg'), 'this is not a JPEG');
    writeFileSync(join(trainA, 'e-random.png'), Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256)));
    await solid(16, 16, 3).toColourspace('cmyk').jpeg().toFile(join(trainA, 'f-cmyk.jpg'));
    await solid(16, 16, 3).toColourspace('rgb16').png().toFile(join(trainA, 'g-16bit.png'));
    await solid(16, 16, 4).png().toFile(join(trainA, 'h-rgba.png'));
    await solid(17, 9, 3).png().toFile(join(trainA, 'i-odd-17x9.png'));
    await solid(16, 16, 3).greyscale().png().toFile(join(trainA, 'j-grey.png'));
    server = await startTestServer({ datasetRoots: [allowed], backend: 'wasm' });
    datasetId = await registerDataset(server, 'hostile-images', root);
  });
  after(() => server.close());

  test('a folder whose first image is corrupt is refused at registration, naming the file', async () => {
    const broken = copyTinyDataset(1, server.config.datasetRoots![0]);
    writeFileSync(join(broken, 'trainA', '0-broken.png'), 'garbage');
    const before = rowCounts(server);
    const result = await gql(server, REGISTER, { i: { name: 'broken-first', root: broken } });
    assert.equal(result.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(result.errors![0].message, /^root: cannot read image .*\/trainA\/0-broken\.png: /);
    assert.deepEqual(rowCounts(server), before);
  });

  test('onBadImage FAIL fails the run naming the first bad file; SKIP trains on every readable file and lists the skipped ones', async () => {
    const start = async (onBadImage: string): Promise<string> => (await gqlData<{ startPretraining: { id: string } }>(server, START_AE, { i: { datasetId, ...TINY_AE, onBadImage } })).startPretraining.id;
    const failing = await start('FAIL');
    const skipping = await start('SKIP');
    const failed = await waitForRunEnd(server, failing, 120_000);
    assert.equal(failed.status, 'FAILED');
    assert.match(failed.error ?? '', new RegExp(`^cannot read image ${join(root, 'trainA', 'b-truncated.png')}: `));

    const end = await waitForRunEnd(server, skipping, 120_000);
    assert.equal(end.status, 'SUCCEEDED', end.error ?? '');
    const { run } = await gqlData<{ run: { skippedImages: { file: string; reason: string }[]; metrics: { name: string; points: { step: number }[] }[] } }>(
      server,
      'query($id: ID!) { run(id: $id) { skippedImages { file reason } metrics(names: ["rec"]) { name points { step } } } }',
      { id: skipping },
    );
    assert.deepEqual(run.skippedImages.map((s) => s.file), BAD.map((f) => join(root, 'trainA', f)));
    for (const skipped of run.skippedImages) assert.match(skipped.reason, /^cannot read image .*: \S/);
    // One iteration per readable image (batch 1): the good copies, a-good and every unusual format.
    const readable = 2 + 1 + UNUSUAL.length;
    assert.equal(Math.max(...run.metrics[0].points.map((p) => p.step)), readable, 'CMYK, 16-bit, RGBA, odd-sized and grey files were trained on');
  });
});
