// npm run bench:load [-- --seconds 60 --subscribers 50 --rate 100 --quiet-seconds 20]
// A bounded load test on loopback. The real server (`serve` from the CLI) runs in its own
// process with one real training run (a small CycleGAN on the bundled 32x32 data); this
// process then
//   1. measures training speed alone (--quiet-seconds),
//   2. opens --subscribers WebSocket subscriptions to the run's events and sends --rate
//      GraphQL queries per second (a mix of what the dashboard and scripts ask) for --seconds,
//   3. measures training speed alone again, waits for one more epoch, and checks that every
//      subscriber received every epoch event after it joined.
// It prints query latency percentiles, errors, training iterations per second without and
// with the load, and missed epoch events. Not a timed test: the figures depend on the machine.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const LOAD_SECONDS = option('--seconds', 60);
const SUBSCRIBERS = option('--subscribers', 50);
const RATE = option('--rate', 100);
const QUIET_SECONDS = option('--quiet-seconds', 20);
/** Small enough for an epoch every few seconds on 2 cores, large enough to keep a worker busy. */
const RUN = { imageSize: 32, ngf: 8, nBlocks: 1, ndf: 8, nLayers: 2, maxTrainImages: 16, ssimImages: 4, sampleImages: 2, epochs: 10_000, seed: 1 };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

interface Endpoint {
  graphqlUrl: string;
  wsUrl: string;
}

async function query<T>(server: Endpoint, text: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text, variables }) });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!response.ok || body.errors?.length) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

async function startServer(dataDir: string): Promise<{ server: Endpoint; stop: () => Promise<void> }> {
  const cli = new URL('../src/cli/main.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [cli, 'serve', '--data-dir', dataDir, '--port', '0', '--max-concurrent-runs', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout! })) {
    const match = /GraphQL\s+(http:\/\/\S+\/graphql) \(subscriptions: (ws:\/\/\S+)\)/.exec(line);
    if (match) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      return {
        server: { graphqlUrl: match[1], wsUrl: match[2] },
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
  }
  throw new Error('the server exited before printing its URL');
}

interface ProgressSample {
  at: number;
  /** Iterations done since the run started. */
  iterations: number;
}

/** Iterations per second between the first and last progress samples in [from, to]. */
function iterationRate(samples: ProgressSample[], from: number, to: number): number {
  const inside = samples.filter((s) => s.at >= from && s.at <= to);
  if (inside.length < 2) return NaN;
  const first = inside[0];
  const last = inside.at(-1)!;
  return ((last.iterations - first.iterations) * 1000) / (last.at - first.at);
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

interface Subscriber {
  client: Client;
  /** Epochs stored when the subscription delivered its first event (read then, as a late client would). */
  joinedAfter: Promise<number>;
  epochs: number[];
}

const RUN_EVENTS = 'subscription($runId: ID!) { runEvents(runId: $runId) { type epoch progress { epoch iteration iterationsPerEpoch } summary { epoch losses { name value } } } }';
const EPOCHS = 'query($id: ID!) { run(id: $id) { epochs { epoch } } }';

function subscribe(server: Endpoint, runId: string, onEvent?: (event: RunEvent) => void): Subscriber {
  const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
  const subscriber: Partial<Subscriber> & { epochs: number[] } = { client, epochs: [] };
  let joined: ((epoch: number) => void) | null = null;
  subscriber.joinedAfter = new Promise((resolve) => (joined = resolve));
  client.subscribe<{ runEvents: RunEvent }>({ query: RUN_EVENTS, variables: { runId } }, {
    next: ({ data }) => {
      if (!data) return;
      if (joined) {
        const resolve = joined;
        joined = null;
        void query<{ run: { epochs: { epoch: number }[] } }>(server, EPOCHS, { id: runId }).then(({ run }) => resolve(run.epochs.at(-1)?.epoch ?? 0));
      }
      if (data.runEvents.type === 'EPOCH') subscriber.epochs.push(data.runEvents.epoch!);
      onEvent?.(data.runEvents);
    },
    error: (error) => console.error('subscription error:', error),
    complete: () => undefined,
  });
  return subscriber as Subscriber;
}

interface RunEvent {
  type: string;
  epoch: number | null;
  progress: { epoch: number; iteration: number; iterationsPerEpoch: number } | null;
}

/** What the dashboard and scripts ask while a run trains. */
const QUERIES: { name: string; text: string; variables: (runId: string) => Record<string, unknown> }[] = [
  { name: 'run list', text: '{ runs(first: 20) { totalCount edges { node { id kind status tags createdAt progress { epoch iteration etaSeconds } } } } }', variables: () => ({}) },
  { name: 'run page', text: 'query($id: ID!) { run(id: $id) { id status config epochs { epoch lr durationMs losses { name value } ssim { name mean } } checkpoints { epoch url } sampleEpochs } }', variables: (id) => ({ id }) },
  { name: 'metrics', text: 'query($id: ID!) { run(id: $id) { metrics(maxPoints: 200) { name points { step value } } } }', variables: (id) => ({ id }) },
  { name: 'samples', text: 'query($id: ID!) { run(id: $id) { samples { epoch domain kind url } } }', variables: (id) => ({ id }) },
  { name: 'datasets', text: '{ datasets { id name counts { trainA trainB testA testB } } }', variables: () => ({}) },
];

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lab-bench-load-'));
  const { server, stop } = await startServer(dataDir);
  try {
    const { datasets } = await query<{ datasets: { id: string; name: string }[] }>(server, '{ datasets { id name } }');
    const datasetId = datasets.find((d) => d.name === 'apple2orange-32')!.id;
    const { startCycleGan } = await query<{ startCycleGan: { id: string } }>(server, 'mutation($i: CycleGanInput!) { startCycleGan(input: $i) { id } }', { i: { ...RUN, datasetId } });
    const runId = startCycleGan.id;

    const progress: ProgressSample[] = [];
    let lastEpoch = 0;
    const monitor = subscribe(server, runId, (event) => {
      if (event.type === 'PROGRESS' && event.progress) {
        const { epoch, iteration, iterationsPerEpoch } = event.progress;
        progress.push({ at: performance.now(), iterations: (epoch - 1) * iterationsPerEpoch + iteration });
      }
      if (event.type === 'EPOCH') lastEpoch = event.epoch!;
    });
    const waitForEpoch = async (epoch: number): Promise<void> => {
      while (lastEpoch < epoch) await sleep(50);
    };
    console.log(`bench:load: run ${runId} (CycleGAN ${RUN.imageSize}px ngf ${RUN.ngf}, ${RUN.maxTrainImages} images per epoch) on ${server.graphqlUrl}`);
    await waitForEpoch(1);

    const quietStart = performance.now();
    await sleep(QUIET_SECONDS * 1000);
    const quietEnd = performance.now();

    console.log(`bench:load: ${SUBSCRIBERS} subscribers and ${RATE} queries/s for ${LOAD_SECONDS} s`);
    const subscribers = Array.from({ length: SUBSCRIBERS }, () => subscribe(server, runId));
    const latencies: number[] = [];
    const errors: string[] = [];
    const inFlight = new Set<Promise<void>>();
    const cpuAtStart = process.cpuUsage();
    const loadStart = performance.now();
    const total = LOAD_SECONDS * RATE;
    for (let i = 0; i < total; i++) {
      // Open loop: queries leave on schedule whether or not earlier ones have answered.
      await sleep(loadStart + (i * 1000) / RATE - performance.now());
      const q = QUERIES[i % QUERIES.length];
      const sent = performance.now();
      const request = query(server, q.text, q.variables(runId))
        .then(() => void latencies.push(performance.now() - sent))
        .catch((error: Error & { cause?: { code?: string; message?: string } }) => void errors.push(`${q.name}: ${error.message}${error.cause ? ` (${error.cause.code ?? error.cause.message})` : ''}`))
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await Promise.all(inFlight);
    const loadEnd = performance.now();
    const loadCpu = process.cpuUsage(cpuAtStart);

    await sleep(QUIET_SECONDS * 1000);
    const quietAfterEnd = performance.now();
    // Every subscriber must have every epoch after the one it joined at, up to one finished after the load.
    const finalEpoch = lastEpoch + 1;
    await waitForEpoch(finalEpoch);
    await sleep(500);
    let missing = 0;
    let duplicates = 0;
    let expected = 0;
    for (const s of subscribers) {
      const joinedAfter = await s.joinedAfter;
      const seen = new Set(s.epochs);
      duplicates += s.epochs.length - seen.size;
      for (let epoch = joinedAfter + 1; epoch <= finalEpoch; epoch++) {
        expected++;
        if (!seen.has(epoch)) missing++;
      }
    }
    await Promise.all([...subscribers, monitor].map((s) => s.client.dispose()));
    await query(server, 'mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: runId });

    const sorted = [...latencies].sort((a, b) => a - b);
    const before = iterationRate(progress, quietStart, quietEnd);
    const during = iterationRate(progress, loadStart, loadEnd);
    const after = iterationRate(progress, loadEnd, quietAfterEnd);
    const quiet = (before + after) / 2;
    const f = (n: number, digits = 1): string => n.toFixed(digits);
    console.log('');
    console.log(`queries: ${latencies.length} answered, ${errors.length} failed, ${f(latencies.length / ((loadEnd - loadStart) / 1000))} per second achieved`);
    console.log(`query latency ms: p50 ${f(percentile(sorted, 50))}  p90 ${f(percentile(sorted, 90))}  p99 ${f(percentile(sorted, 99))}  max ${f(sorted.at(-1) ?? NaN)}`);
    console.log(`training iterations/s: ${f(before, 2)} before, ${f(during, 2)} under load, ${f(after, 2)} after; slowdown under load ${f(100 * (1 - during / quiet))}%`);
    console.log(`epoch events: ${SUBSCRIBERS} subscribers, ${expected} expected, ${missing} missed, ${duplicates} duplicated (up to epoch ${finalEpoch})`);
    console.log(`load generator (this process, ${SUBSCRIBERS} WebSocket clients and the queries): ${f((100 * (loadCpu.user + loadCpu.system)) / 1000 / (loadEnd - loadStart))}% of one core`);
    if (errors.length) console.log(`first errors:\n  ${errors.slice(0, 5).join('\n  ')}`);
    if (missing > 0 || errors.length > 0) process.exitCode = 1;
  } finally {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
