// Who gets in: the server binds loopback unless told otherwise; another address needs a
// long LAB_API_TOKEN, and then every data request (GraphQL over HTTP and WebSocket, files)
// must carry it, checked over the machine's real network address; a loopback server refuses
// requests naming another host (DNS rebinding) and WebSockets from other sites' pages;
// cross-site form posts and GET mutations are blocked; introspection follows LAB_INTROSPECTION
// (on for loopback, off otherwise by default) on both transports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { test } from 'node:test';
import WebSocket from 'ws';
import { loadConfig } from '../src/config.js';
import { gql, startTestServer, tempDataDir, wsClient, type GqlResult } from './fixtures/lab-api.js';

const TOKEN = 'correct-horse-battery-staple-42';
const INTROSPECTION = '{ __schema { queryType { name } } }';

/** This machine's first non-loopback IPv4 address, if it has one. */
const lanAddress = (): string | undefined =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

/** An HTTP GET with a Host header of our choosing (fetch does not allow setting it). */
function getWithHost(url: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The HTTP status a WebSocket upgrade gets (101 when it opens). */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** Runs one operation over a graphql-ws client and returns its result or its errors. */
function overWebSocket(server: { wsUrl: string }, query: string, connectionParams?: Record<string, unknown>): Promise<GqlResult<unknown> & { closeCode?: number }> {
  const client = wsClient(server, connectionParams);
  return new Promise<GqlResult<unknown> & { closeCode?: number }>((resolve) => {
    let result: GqlResult<unknown> = {};
    client.subscribe({ query }, {
      next: (value) => (result = value as GqlResult<unknown>),
      error: (error) => resolve(Array.isArray(error) ? { errors: error } : { closeCode: (error as { code?: number }).code }),
      complete: () => resolve(result),
    });
  }).finally(() => void client.dispose());
}

test('the default bind is loopback: the server cannot be reached on the network address', async () => {
  assert.equal(loadConfig({}, {}).host, '127.0.0.1');
  const server = await startTestServer({ host: undefined, env: {} });
  try {
    assert.equal(new URL(server.url).hostname, '127.0.0.1');
    const address = lanAddress();
    if (address) {
      const refused = await new Promise<string>((resolve) => {
        const socket = connect(server.port, address);
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      assert.equal(refused, 'ECONNREFUSED', `port ${server.port} on ${address}`);
    }
  } finally {
    await server.close();
  }
});

test('binding another address without a long LAB_API_TOKEN is refused with a clear error', async () => {
  for (const [host, apiToken] of [['0.0.0.0', null], ['::', null], ['192.0.2.2', 'short-token']] as const) {
    await assert.rejects(
      startTestServer({ host, apiToken }),
      /^Error: HOST .* is reachable from other machines, so LAB_API_TOKEN must be set to a secret of at least 16 characters/,
      `${host} with token ${apiToken}`,
    );
  }
  assert.throws(() => loadConfig({}, { HOST: '0.0.0.0' }), /LAB_API_TOKEN must be set/);
  for (const host of ['localhost', '127.0.0.2', '::1', '[::1]']) assert.doesNotThrow(() => loadConfig({}, { HOST: host }), host);
  // The CLI says the same and exits non-zero.
  const cli = spawnSync(process.execPath, [new URL('../src/cli/main.js', import.meta.url).pathname, 'serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', tempDataDir()], {
    env: { ...process.env, LAB_API_TOKEN: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /^cyclegan-lab: HOST 0\.0\.0\.0 is reachable from other machines/);
  assert.doesNotMatch(cli.stderr, /\bat .*\.js:\d+/);
});

test('on 0.0.0.0 every data request needs the token, over the network address; introspection is off', async () => {
  const server = await startTestServer({ host: '0.0.0.0', apiToken: TOKEN });
  const address = lanAddress() ?? '127.0.0.1';
  const remote = { graphqlUrl: `http://${address}:${server.port}/graphql`, wsUrl: `ws://${address}:${server.port}/graphql` };
  const auth = { authorization: `Bearer ${TOKEN}` };
  try {
    const anonymous = await fetch(remote.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ datasets { id } }' }) });
    assert.equal(anonymous.status, 401);
    for (const wrong of [`Bearer ${TOKEN.slice(0, -1)}x`, `Bearer ${TOKEN}x`, TOKEN.toUpperCase(), '']) {
      const result = await gql(remote, '{ datasets { id } }', {}, { authorization: wrong });
      assert.equal(result.errors?.[0].extensions?.code, 'UNAUTHENTICATED', `token "${wrong}"`);
    }
    const ok = await gql<{ datasets: unknown[] }>(remote, '{ datasets { id } }', {}, auth);
    assert.ok(ok.data!.datasets.length >= 1);

    assert.equal((await overWebSocket(remote, '{ datasets { id } }')).closeCode, 4403, 'a WebSocket without the token is closed');
    assert.equal((await overWebSocket(remote, '{ datasets { id } }', { authorization: 'Bearer nope' })).closeCode, 4403);
    assert.ok(((await overWebSocket(remote, '{ datasets { id } }', auth)).data as { datasets: unknown[] }).datasets.length >= 1);

    const files = `http://${address}:${server.port}/files/runs/x/a.png`;
    assert.equal((await fetch(files)).status, 401);
    assert.equal((await fetch(files, { headers: auth })).status, 404, 'with the token: an honest 404');
    assert.deepEqual(await (await fetch(`http://${address}:${server.port}/healthz`)).json(), { ok: true }, 'liveness only, no run counts');
    assert.equal(((await (await fetch(`http://${address}:${server.port}/healthz`, { headers: auth })).json()) as { runningRuns: number }).runningRuns, 0);

    const introspection = await gql(remote, INTROSPECTION, {}, auth);
    assert.equal(introspection.errors?.[0].extensions?.code, 'INTROSPECTION_DISABLED');
    assert.match(introspection.errors![0].message, /^schema introspection \(__schema\) is turned off on this server \(LAB_INTROSPECTION=off\)$/);
    const overWs = await overWebSocket(remote, '{ __type(name: "Run") { name } }', auth);
    assert.equal(overWs.errors?.[0].extensions?.code, 'INTROSPECTION_DISABLED');
    const typo = await gql(remote, '{ dataset { id } datasetz { id } }', {}, auth);
    assert.doesNotMatch(JSON.stringify(typo), /Did you mean/, 'no schema hints without introspection');
  } finally {
    await server.close();
  }
});

test('LAB_INTROSPECTION: on by default on loopback, off when set, on both transports', async () => {
  const open = await startTestServer();
  try {
    assert.equal((await gql<{ __schema: { queryType: { name: string } } }>(open, INTROSPECTION)).data?.__schema.queryType.name, 'Query');
    assert.match(JSON.stringify(await gql(open, '{ datasetz { id } }')), /Did you mean/, 'schema hints with introspection');
  } finally {
    await open.close();
  }
  const closed = await startTestServer({ env: { LAB_INTROSPECTION: 'off' } });
  try {
    assert.equal((await gql(closed, INTROSPECTION)).errors?.[0].extensions?.code, 'INTROSPECTION_DISABLED');
    assert.equal((await overWebSocket(closed, INTROSPECTION)).errors?.[0].extensions?.code, 'INTROSPECTION_DISABLED');
    assert.equal((await gql<{ datasets: { __typename: string }[] }>(closed, '{ datasets { __typename } }')).data?.datasets[0].__typename, 'Dataset', '__typename stays allowed');
    assert.doesNotMatch(JSON.stringify(await gql(closed, '{ datasetz { id } }')), /Did you mean/, 'no schema hints without introspection');
  } finally {
    await closed.close();
  }
  assert.throws(() => loadConfig({}, { LAB_INTROSPECTION: 'maybe' }), /LAB_INTROSPECTION must be on or off \(got "maybe"\)/);
});

test('a loopback server refuses other Host names (DNS rebinding) and WebSockets from other sites', async () => {
  const server = await startTestServer();
  const ws = `ws://127.0.0.1:${server.port}/graphql`;
  try {
    for (const path of ['/graphql?query=%7Bdatasets%7Bid%7D%7D', '/files/runs/x.png', '/', '/healthz']) {
      const rebound = await getWithHost(`${server.url}${path}`, `evil.example:${server.port}`, { 'apollo-require-preflight': 'true' });
      assert.equal(rebound.status, 403, path);
      assert.match((JSON.parse(rebound.body) as GqlResult<unknown>).errors![0].message, /^Host "evil\.example:\d+" is not this machine: the server is bound to 127\.0\.0\.1$/);
    }
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) {
      assert.equal((await getWithHost(`${server.url}/healthz`, host)).status, 200, host);
    }
    assert.equal(await upgradeStatus(ws, { host: `evil.example:${server.port}` }), 403, 'rebound WebSocket');
    assert.equal(await upgradeStatus(ws, { origin: 'https://evil.example' }), 403, 'a page on another site');
    assert.equal(await upgradeStatus(ws, { origin: 'null' }), 403, 'a sandboxed page');
    assert.equal(await upgradeStatus(ws, { origin: `http://127.0.0.1:${server.port}` }), 101, 'the dashboard itself');
    assert.equal(await upgradeStatus(ws, { origin: 'http://localhost:5173' }), 101, 'the dashboard dev server on this machine');
    assert.equal(await upgradeStatus(ws, {}), 101, 'scripts send no Origin');
  } finally {
    await server.close();
  }
});

test('cross-site form posts and GET mutations are blocked; no stack traces', async () => {
  const server = await startTestServer();
  try {
    const form = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: 'mutation { deleteRun(id: "x") }' }) });
    assert.equal(form.status, 400);
    assert.match(await form.text(), /Cross-Site Request Forgery/);
    const simpleGet = await fetch(`${server.graphqlUrl}?query=${encodeURIComponent('{ datasets { root } }')}`);
    assert.equal(simpleGet.status, 400, 'a GET a page could make with <img> is blocked');
    const getMutation = await fetch(`${server.graphqlUrl}?query=${encodeURIComponent('mutation { deleteRun(id: "x") }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    assert.equal(getMutation.status, 405);
    for (const response of [form, simpleGet, getMutation]) assert.equal(response.headers.get('x-powered-by'), null);
  } finally {
    await server.close();
  }
});
