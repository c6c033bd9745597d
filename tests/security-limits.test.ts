// Limits on what one request may ask for: query depth and cost (src/server/query-limits.ts)
// on HTTP and on WebSocket subscriptions, with every operation the clients really send (and
// the standard introspection query) inside them; fragment bombs refused without expanding
// them; 1 MB WebSocket messages; and file downloads that stay inside the run folders
// whatever the path encoding.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getIntrospectionQuery, parse, validate } from 'graphql';
import WebSocket from 'ws';
import { projectRoot } from '../src/paths.js';
import { buildLabSchema } from '../src/schema/build-schema.js';
import { queryLimitsRule } from '../src/server/query-limits.js';
import { RunEventBus } from '../src/server/run-event-bus.js';
import type { LabServer } from '../src/server/start.js';
import { gql, startTestServer, wsClient, type GqlResult } from './fixtures/lab-api.js';

const DEFAULT_LIMITS = { maxDepth: 15, maxCost: 1_000_000 };

/** `run { initFrom { gAB { initFrom { gAB ... { id } } } } }`: 2 fields per level. */
const nestedRun = (levels: number): string => `run(id: "x") { ${'initFrom { gAB { '.repeat(levels)}id${' } }'.repeat(levels)} }`;

function subscribeOnce(server: { wsUrl: string }, query: string): Promise<GqlResult<unknown>> {
  const client = wsClient(server);
  return new Promise<GqlResult<unknown>>((resolve) => {
    client.subscribe({ query }, {
      next: (value) => resolve(value as GqlResult<unknown>),
      error: (errors) => resolve({ errors: errors as GqlResult<unknown>['errors'] }),
      complete: () => resolve({}),
    });
  }).finally(() => void client.dispose());
}

test('every operation the clients send, and the introspection query, fit the default limits', async () => {
  const schema = await buildLabSchema(new RunEventBus());
  // The operation files share fragments (codegen reads them as one document).
  const folder = join(projectRoot(), 'client', 'operations');
  const operations = readdirSync(folder).map((file) => readFileSync(join(folder, file), 'utf8'));
  const introspection = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
  for (const [name, text] of [['client/operations', operations.join('\n')], ['introspection', introspection]]) {
    const document = parse(text);
    assert.ok(document.definitions.length >= (name === 'introspection' ? 1 : 5), name);
    assert.deepEqual(validate(schema, document, [queryLimitsRule(DEFAULT_LIMITS)]).map((e) => e.message), [], name);
  }
  // The same rule reports the figures it measured: RunMetrics asks for up to 100000 points of each series.
  const metrics = 'query($id: ID!, $maxPoints: Int!) { run(id: $id) { metrics(maxPoints: $maxPoints) { name points { step value } } } }';
  const [refused] = validate(schema, parse(metrics), [queryLimitsRule({ maxDepth: 15, maxCost: 400_000 })]);
  assert.deepEqual(refused.extensions, { code: 'QUERY_TOO_COMPLEX', cost: 400_002, maxCost: 400_000 });
});

describe('depth and cost limits on a running server', () => {
  let server: LabServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('too deep, too costly or a fragment bomb: QUERY_TOO_COMPLEX over HTTP, naming the figures', async () => {
    const deep = await gql(server, `query Deep { ${nestedRun(8)} }`);
    assert.equal(deep.errors?.[0].extensions?.code, 'QUERY_TOO_COMPLEX');
    assert.match(deep.errors![0].message, /^operation Deep nests fields 18 deep; the server allows at most 15 \(LAB_MAX_QUERY_DEPTH\)$/);
    assert.equal((await gql(server, `{ ${nestedRun(6)} }`)).errors, undefined, 'depth 14 passes');

    // Each alias: 100 runs x nominal 10 epochs x 10 losses x 2 values, about 21300 values.
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: runs(first: 100) { edges { node { epochs { losses { name value } } } } }`).join(' ');
    const costly = await gql(server, `{ ${aliases} }`);
    assert.equal(costly.errors?.[0].extensions?.code, 'QUERY_TOO_COMPLEX');
    const expensive = await gql(server, '{ runs(first: 100) { edges { node { metrics(maxPoints: 100000) { points { value } } } } } }');
    assert.match(expensive.errors?.[0].message ?? '', /^the operation could return about \d+ values; the server allows at most 1000000 \(LAB_MAX_QUERY_COST\)/);

    // 2^40 fields once expanded; measured one fragment at a time.
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Dataset { ...F${i} ...F${i} }`).join('\n');
    const started = Date.now();
    const bomb = await gql(server, `{ datasets { ...F40 } }\nfragment F0 on Dataset { id }\n${fragments}`);
    assert.ok(Date.now() - started < 5000, `refused in ${Date.now() - started} ms`);
    assert.ok(bomb.errors?.some((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX'), JSON.stringify(bomb).slice(0, 300));
    const cycle = await gql(server, '{ datasets { ...A } } fragment A on Dataset { ...B } fragment B on Dataset { ...A }');
    assert.match(cycle.errors?.[0].message ?? '', /Cannot spread fragment "A" within itself/);
    for (const result of [deep, costly, expensive, bomb, cycle]) assert.equal(result.data ?? null, null);
  });

  test('the same limits hold for WebSocket subscriptions and operations', async () => {
    const deep = await subscribeOnce(server, `subscription { runsChanged { ${nestedRun(8).replace('run(id: "x")', 'run')} } }`);
    assert.equal(deep.errors?.[0].extensions?.code, 'QUERY_TOO_COMPLEX');
    assert.match(deep.errors![0].message, /nests fields 19 deep/);
    const wide = await subscribeOnce(server, `subscription { runsChanged { run { ${Array.from({ length: 4 }, (_, i) => `m${i}: metrics(maxPoints: 100000) { points { step value } }`).join(' ')} } } }`);
    assert.equal(wide.errors?.[0].extensions?.code, 'QUERY_TOO_COMPLEX');
    const query = await subscribeOnce(server, `{ ${nestedRun(8)} }`);
    assert.equal(query.errors?.[0].extensions?.code, 'QUERY_TOO_COMPLEX');
  });

  test('a WebSocket message over 1 MB closes the socket (1009) and the server keeps serving', async () => {
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(1_100_000) } }));
    assert.equal(await closed, 1009);
    assert.ok(((await gql<{ datasets: unknown[] }>(server, '{ datasets { id } }')).data?.datasets.length ?? 0) >= 1);
  });
});

test('configured limits apply: LAB_MAX_QUERY_DEPTH and LAB_MAX_QUERY_COST', async () => {
  const server = await startTestServer({ env: { LAB_MAX_QUERY_DEPTH: '3', LAB_MAX_QUERY_COST: '50' } });
  try {
    assert.equal((await gql(server, '{ runs { totalCount pageInfo { hasNextPage } } }')).errors, undefined);
    assert.match((await gql(server, '{ runs { edges { node { id } } } }')).errors?.[0].message ?? '', /nests fields 4 deep; the server allows at most 3/);
    assert.equal((await gql(server, '{ runs(first: 20) { edges { cursor } } }')).errors, undefined, '1 + 20 x 2 = 41 values');
    assert.match((await gql(server, '{ runs(first: 30) { edges { cursor } } }')).errors?.[0].message ?? '', /could return about 61 values; the server allows at most 50 \(LAB_MAX_QUERY_COST\)/);
  } finally {
    await server.close();
  }
});

/** GET with the path sent exactly as written (fetch would normalise `..` and encodings). */
function rawGet(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('file downloads stay inside the run folders whatever the path encoding', async () => {
  const server = await startTestServer();
  try {
    const run = join(server.config.dataDir, 'runs', 'run_files');
    mkdirSync(join(run, 'samples'), { recursive: true });
    writeFileSync(join(run, 'samples', 'a.png'), 'png');
    symlinkSync('/etc', join(server.config.dataDir, 'runs', 'run_etc'));
    symlinkSync(server.config.dataDir, join(run, 'up'));
    assert.equal(await rawGet(server.port, '/files/runs/run_files/samples/a.png'), 200);
    const attempts = [
      '/files/runs/run_files/../../lab.sqlite',
      '/files/runs/run_files/%2e%2e/%2e%2e/lab.sqlite',
      '/files/runs/run_files/..%2f..%2flab.sqlite',
      '/files/runs/run_files/%252e%252e/%252e%252e/lab.sqlite',
      '/files/runs/run_files/..%5c..%5clab.sqlite',
      '/files/runs/run_files/samples/a.png%00.txt',
      '/files//etc/passwd',
      '/files/%2fetc%2fpasswd',
      '/files/runs/run_etc/passwd',
      '/files/runs/run_files/up/lab.sqlite',
      '/files/runs/run_files/samples',
      '/files/lab.sqlite-wal',
    ];
    for (const path of attempts) assert.ok([400, 404].includes(await rawGet(server.port, path)), path);
  } finally {
    await server.close();
  }
});
