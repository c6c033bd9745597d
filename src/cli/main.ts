#!/usr/bin/env node
import 'reflect-metadata';
import { Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { LabClient } from '../../client/index.js';
import { loadConfig } from '../config.js';
import { listPresets, loadPreset } from '../experiment/preset.js';
import { runExperiment } from '../experiment/run-experiment.js';
import { startServer, type LabServer } from '../server/start.js';
import { comparisonMarkdown } from './comparison-table.js';
import { exportRows, toCsv } from './export-run.js';
import { formatDuration, RunProgressBars } from './progress-bars.js';
import { addServerFlags, serverOverrides, type ServerFlags } from './server-options.js';

const program = new Command('cyclegan-lab').description('AE-initialised vs random CycleGAN: training server, experiments and reports');

function clientFor(server: string | undefined, token: string | undefined): LabClient {
  const config = loadConfig();
  const url = server ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  return new LabClient({ url, token: token ?? config.apiToken ?? undefined, webSocketImpl: WebSocket });
}

const serverOption = () => new Option('--server <url>', 'server base URL (default http://HOST:PORT from the environment)');
const tokenOption = () => new Option('--token <token>', 'bearer token (default LAB_API_TOKEN)');

/** Closes the server on the first Ctrl-C / SIGTERM; a second one exits at once. */
function onStopSignal(stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      void stop(signal).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}

addServerFlags(program.command('serve').description('start the server (GraphQL, subscriptions, dashboard)')).action(async (flags: ServerFlags) => {
  const server = await startServer({ ...serverOverrides(flags), handleSignals: false });
  onStopSignal(async () => {
    console.error('cyclegan-lab: stopping (running runs become INTERRUPTED and can be resumed)');
    await server.close();
  });
  printAddresses(server);
});

function printAddresses(server: LabServer): void {
  console.log(`cyclegan-lab: dashboard  ${server.url}/`);
  console.log(`cyclegan-lab: GraphQL    ${server.graphqlUrl} (subscriptions: ${server.wsUrl})`);
  const { dataDir, backend, maxConcurrentRuns, wasmThreads } = server.config;
  console.log(`cyclegan-lab: data dir   ${dataDir}`);
  console.log(`cyclegan-lab: training   backend ${backend}, up to ${maxConcurrentRuns} run(s) at once, ${wasmThreads} thread(s) each on wasm`);
  if (maxConcurrentRuns * wasmThreads > availableParallelism()) {
    // Measured: 2 threads per run with another busy process on 2 cores is 1.5-3x slower than 1.
    console.log(`cyclegan-lab: note       ${maxConcurrentRuns} x ${wasmThreads} wasm threads exceed the ${availableParallelism()} CPU cores: runs on wasm will slow each other down`);
  }
}

addServerFlags(
  program
    .command('experiment')
    .description('run an experiment preset end to end and write its report')
    .option('--preset <name>', `preset name (${listPresets().join(', ')}) or path to a preset JSON file`, 'quick')
    .option('--seeds <list>', 'comma-separated seeds, e.g. 1,2,3 (default: the preset\'s)')
    .option('--report-dir <dir>', 'where to write the report (default <data dir>/reports/<preset>)')
    .option('--exit', 'stop the embedded server when the report is written instead of serving on')
    .addOption(serverOption())
    .addOption(tokenOption()),
).action(async (flags: ServerFlags & { preset: string; seeds?: string; reportDir?: string; exit?: boolean; server?: string; token?: string }) => {
  const preset = loadPreset(flags.preset);
  if (flags.seeds) {
    const parts = flags.seeds.split(',').map((s) => s.trim());
    if (!parts.every((s) => /^\d+$/.test(s))) throw new Error(`--seeds must be comma-separated non-negative integers, e.g. 1,2,3 (got "${flags.seeds}")`);
    const seeds = [...new Set(parts.map(Number))];
    preset.seeds = seeds;
  }
  const embedded = flags.server ? null : await startServer({ ...serverOverrides(flags), handleSignals: false });
  if (embedded) printAddresses(embedded);
  const serverUrl = flags.server ?? embedded!.url;
  const client = new LabClient({ url: serverUrl, token: flags.token ?? embedded?.config.apiToken ?? undefined, webSocketImpl: WebSocket });
  const dataDir = embedded?.config.dataDir ?? loadConfig(serverOverrides(flags)).dataDir;
  const reportDir = resolve(flags.reportDir ?? join(dataDir, 'reports', preset.name));
  const bars = new RunProgressBars();
  const started: string[] = [];
  let finished = false;
  onStopSignal(async () => {
    bars.stop();
    if (finished) {
      console.error('\ncyclegan-lab: stopping the server');
    } else {
      console.error('\ncyclegan-lab: cancelling the experiment\'s runs');
      for (const id of started) await client.cancelRun(id).catch(() => undefined);
    }
    await client.close();
    await embedded?.close();
  });

  console.log(`cyclegan-lab: experiment "${preset.name}" (seeds ${preset.seeds.join(', ')}): ${preset.description}`);
  const t0 = Date.now();
  try {
    const outcome = await runExperiment({
      client,
      preset,
      reportDir,
      serverUrl,
      observer: {
        runStarted: (id, label, kind) => {
          started.push(id);
          bars.add(id, label, kind === 'EVALUATION');
        },
        runEvent: (id, event) => {
          if (event.type === 'PROGRESS' && event.progress) {
            bars.update(id, { ...event.progress, epochsTotal: event.progress.epochsTotal ?? event.progress.epoch });
          } else if (event.type === 'STATUS' && event.status) bars.status(id, event.status.toLowerCase());
        },
        runFinished: (id, state) => bars.status(id, state.status.toLowerCase(), state.status === 'SUCCEEDED'),
        log: (line) => bars.log(line),
      },
    });
    finished = true;
    bars.stop();
    console.log(`\ncyclegan-lab: experiment finished in ${formatDuration((Date.now() - t0) / 1000)}; runs: ${outcome.runIds.join(' ')}`);
    console.log(`cyclegan-lab: report     ${outcome.reportPath}`);
  } catch (error) {
    bars.stop();
    await client.close();
    await embedded?.close();
    throw error;
  }
  await client.close();
  if (!embedded) return;
  if (flags.exit) {
    await embedded.close();
    return;
  }
  console.log(`cyclegan-lab: still serving at ${embedded.url}/ for browsing; Ctrl-C stops`);
});

program
  .command('runs')
  .description('list runs, newest first')
  .addOption(new Option('--kind <kind>', 'AE, VAE, CYCLEGAN or EVALUATION').choices(['AE', 'VAE', 'CYCLEGAN', 'EVALUATION']))
  .addOption(new Option('--status <status>').choices(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED']))
  .option('--tag <tag>', 'only runs with this tag')
  .option('--limit <n>', 'at most this many runs', '50')
  .addOption(serverOption())
  .addOption(tokenOption())
  .action(async (flags: { kind?: 'AE'; status?: 'QUEUED'; tag?: string; limit: string; server?: string; token?: string }) => {
    const client = clientFor(flags.server, flags.token);
    try {
      const runs = await client.runs({ kind: flags.kind, status: flags.status, tag: flags.tag }, Number(flags.limit));
      console.log(['id', 'kind', 'status', 'backend', 'progress', 'created', 'tags'].join('\t'));
      for (const r of runs) {
        const p = r.progress ? `epoch ${r.progress.epoch}/${r.progress.epochsTotal ?? '?'}${r.progress.etaSeconds !== null ? ` ETA ${formatDuration(r.progress.etaSeconds)}` : ''}` : '';
        console.log([r.id, r.kind, r.status, r.backend ?? '', p, r.createdAt, r.tags.join(',')].join('\t'));
      }
    } finally {
      await client.close();
    }
  });

program
  .command('report')
  .description('print the paper-style table (FD/KID/SSIM per comparison and domain) for CycleGAN runs')
  .argument('<runIds...>', 'CycleGAN runs (or their EVALUATION runs)')
  .option('--out <file>', 'also write the table to this Markdown file')
  .addOption(serverOption())
  .addOption(tokenOption())
  .action(async (runIds: string[], flags: { out?: string; server?: string; token?: string }) => {
    const client = clientFor(flags.server, flags.token);
    try {
      const table = comparisonMarkdown(await client.comparison(runIds), runIds);
      console.log(table);
      if (flags.out) writeFileSync(flags.out, table);
    } finally {
      await client.close();
    }
  });

program
  .command('export')
  .description('export every epoch, metric point and evaluation of a run')
  .argument('<runId>')
  .addOption(new Option('--format <format>').choices(['csv', 'json']).default('csv'))
  .option('--out <file>', 'write to this file instead of standard output')
  .addOption(serverOption())
  .addOption(tokenOption())
  .action(async (runId: string, flags: { format: 'csv' | 'json'; out?: string; server?: string; token?: string }) => {
    const client = clientFor(flags.server, flags.token);
    try {
      const run = await client.runResults(runId);
      const metrics = await client.metrics(runId);
      const text = flags.format === 'csv' ? toCsv(exportRows(run, metrics)) : JSON.stringify({ run, metrics }, null, 1) + '\n';
      if (flags.out) writeFileSync(flags.out, text);
      else process.stdout.write(text);
    } finally {
      await client.close();
    }
  });

// `cyclegan-lab export RUN | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`cyclegan-lab: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
