import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { LabClient } from '../client/index.js';
import { exportRows, parseCsv, toCsv } from '../src/cli/export-run.js';
import { loadPreset } from '../src/experiment/preset.js';
import { runExperiment, type ExperimentOutcome } from '../src/experiment/run-experiment.js';
import { projectRoot } from '../src/paths.js';
import { startServer, type LabServer } from '../src/server/start.js';

const execFileAsync = promisify(execFile);

// The whole experiment through the real server, real workers and real training on the
// bundled apple2orange, shrunk to tiny networks so it runs in about a minute.
const preset = () => loadPreset(join(projectRoot(), 'tests', 'experiment-fixtures', 'tiny.json'));

interface Lab {
  dir: string;
  server: LabServer;
  client: LabClient;
}

async function openLab(): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-experiment-'));
  const server = await startServer({ dataDir: dir, port: 0, host: '127.0.0.1', backend: 'wasm', maxConcurrentRuns: 2, handleSignals: false });
  return { dir, server, client: new LabClient({ url: server.url, webSocketImpl: WebSocket }) };
}

async function closeLab(lab: Lab): Promise<void> {
  await lab.client.close();
  await lab.server.close();
  rmSync(lab.dir, { recursive: true, force: true });
}

let first: Lab;
let outcome: ExperimentOutcome;

before(async () => {
  first = await openLab();
  outcome = await runExperiment({ client: first.client, preset: preset(), reportDir: join(first.dir, 'reports', 'tiny'), serverUrl: first.server.url });
});
after(async () => {
  await closeLab(first);
});

test('the experiment runs every run to SUCCEEDED and the server answers queries about all of them', async () => {
  // 2 AEs, 2 CycleGANs, 2 evaluations.
  assert.equal(outcome.runIds.length, 6);
  const runs = await first.client.runs({ tag: 'experiment:tiny' });
  assert.deepEqual(new Set(runs.map((r) => r.id)), new Set(outcome.runIds));
  assert.ok(runs.every((r) => r.status === 'SUCCEEDED'), runs.map((r) => `${r.kind} ${r.status} ${r.error ?? ''}`).join('; '));
  const kinds = runs.map((r) => r.kind).sort();
  assert.deepEqual(kinds, ['AE', 'AE', 'CYCLEGAN', 'CYCLEGAN', 'EVALUATION', 'EVALUATION']);
});

test('the report holds the table with finite FD, KID and SSIM for both models and the figures', () => {
  const md = readFileSync(outcome.reportPath, 'utf8');
  for (const model of outcome.results.models) {
    const metrics = new Set(model.evaluation.map((v) => v.metric));
    assert.deepEqual([...metrics].sort(), ['FD-ResNet50', 'KID-ResNet50', 'SSIM']);
    for (const v of model.evaluation) {
      assert.ok(Number.isFinite(v.value), `${model.label} ${v.metric} ${v.comparison} ${v.domain} = ${v.value}`);
      assert.equal(v.n, 4);
    }
    assert.ok(model.samples.some((s) => s.kind === 'fake'), 'fake samples downloaded');
    assert.equal(model.epochs.length, 2, 'epochs + decay epochs');
  }
  assert.match(md, /\| Real vs Fake \| A \| [0-9.]+ \| [0-9.]+ \|/);
  assert.match(md, /N = 4 images per domain/);
  for (const png of ['losses.png', 'ssim-per-epoch.png', 'ssim-box-A.png', 'samples-B.png', 'pretraining.png']) assert.match(md, new RegExp(png));
});

test('cyclegan-lab export round-trips: the CSV holds every epoch, metric point and evaluation stored', async () => {
  const model = outcome.results.models[1];
  const run = await first.client.runResults(model.runId);
  const metrics = await first.client.metrics(model.runId);
  // The real CLI, as a researcher runs it, against the running server.
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  const { stdout } = await execFileAsync(process.execPath, [cli, 'export', model.runId, '--format', 'csv', '--server', first.server.url]);
  const rows = parseCsv(stdout);
  assert.deepEqual(rows, parseCsv(toCsv(exportRows(run, metrics))));
  assert.deepEqual(rows, exportRows(run, metrics));
  const losses = rows.filter((r) => r.section === 'loss');
  assert.equal(losses.length, run.epochs.reduce((n, e) => n + e.losses.length, 0));
  assert.ok(losses.some((r) => r.name === 'cycle_A'));
  assert.equal(rows.filter((r) => r.section === 'evaluation').length, run.evaluations.length);
  assert.ok(rows.filter((r) => r.section === 'metric').length > 0, 'iteration-level points exported');
});

test('the same preset with the same seed gives the same numbers on the same backend', async () => {
  const second = await openLab();
  try {
    const again = await runExperiment({ client: second.client, preset: preset(), reportDir: join(second.dir, 'report'), serverUrl: second.server.url });
    const numbers = (o: ExperimentOutcome) =>
      o.results.models.map((m) => ({
        label: m.label,
        losses: m.epochs.map((e) => e.losses),
        evaluation: m.evaluation.map((v) => [v.metric, v.comparison, v.domain, v.value]).sort(),
      }));
    assert.deepEqual(numbers(again), numbers(outcome));
    assert.deepEqual(again.results.pretraining.map((p) => p.epochs.map((e) => e.losses)), outcome.results.pretraining.map((p) => p.epochs.map((e) => e.losses)));
  } finally {
    await closeLab(second);
  }
});
