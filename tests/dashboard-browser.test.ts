// The dashboard in headless Chromium against a real server with the real training worker:
// a tiny CycleGAN started from the dashboard's form trains while its page is open (the loss
// chart gains points without a reload, the sample grid shows the PNGs), a run on a dataset
// with a corrupt image fails and shows its error, two evaluated runs are compared (table,
// SSIM box plots, CSV), and a server restart is survived (banner, re-read, resume, cancel).
// Screenshots of every page go to .tmp/screenshots/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { bundledDatasetRoot, projectRoot } from '../src/paths.js';
import type { LabServer } from '../src/server/start.js';
import { gql, gqlData, startTestServer, tempDataDir, waitFor, waitForRunEnd } from './fixtures/lab-api.js';

const CHROMIUM = process.env.LAB_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = join(projectRoot(), '.tmp', 'screenshots');
const TINY_CYCLEGAN = { imageSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nLayers: 2, maxTrainImages: 4, ssimImages: 4, sampleImages: 2, checkpointEvery: 1 };
const TRAINING_TIMEOUT_MS = 90_000;
/** ResNet50 features on wasm cost ~0.65 s per image: 8 test images x (real, fake, rec) x 2 domains. */
const EVALUATION_TIMEOUT_MS = 240_000;

interface ComparisonRow {
  runId: string;
  metric: string;
  value: number;
  std: number | null;
}

async function startCycleGan(server: LabServer, input: Record<string, unknown>): Promise<string> {
  const { startCycleGan } = await gqlData<{ startCycleGan: { id: string } }>(server, 'mutation($i: CycleGanInput!) { startCycleGan(input: $i) { id } }', { i: input });
  return startCycleGan.id;
}

/** Waits for a training run to succeed, then evaluates its last checkpoint at a tiny N; resolves to the evaluation's end. */
async function evaluateWhenDone(server: LabServer, runId: string): Promise<{ status: string; error: string | null }> {
  const trained = await waitForRunEnd(server, runId, TRAINING_TIMEOUT_MS);
  assert.equal(trained.status, 'SUCCEEDED', trained.error ?? '');
  const { evaluateRun } = await gqlData<{ evaluateRun: { id: string } }>(server, 'mutation($i: EvaluationInput!) { evaluateRun(input: $i) { id } }', {
    i: { runId, maxImages: 8, kidSubsetSize: 4, kidSubsets: 10, seed: 5 },
  });
  return waitForRunEnd(server, evaluateRun.id, EVALUATION_TIMEOUT_MS);
}

/** A copy of a few bundled images whose trainB starts with a file that is not an image. */
function datasetWithCorruptImage(): string {
  const root = join(tempDataDir(), 'corrupt-dataset');
  for (const split of ['trainA', 'trainB', 'testA', 'testB']) {
    mkdirSync(join(root, split), { recursive: true });
    for (const file of readdirSync(join(bundledDatasetRoot(), split)).slice(0, 3)) copyFileSync(join(bundledDatasetRoot(), split, file), join(root, split, file));
  }
  writeFileSync(join(root, 'trainB', '000-corrupt.png'), 'this is not a PNG file');
  return root;
}

const chartPoints = async (page: Page, title: string): Promise<number> =>
  Number(await page.locator('figure.chart', { hasText: title }).getAttribute('data-points'));

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe('dashboard in a browser against a real server', () => {
  let server: LabServer;
  let browser: Browser;
  let page: Page;
  let datasetId: string;
  const pageErrors: string[] = [];
  let liveRun = '';
  let partnerRun = '';
  // Evaluations start as soon as their run is trained, so they overlap the tests before the comparison.
  const evaluations: Promise<{ status: string; error: string | null }>[] = [];
  const evaluateInBackground = (runId: string): void => {
    const evaluated = evaluateWhenDone(server, runId);
    evaluated.catch(() => {}); // awaited (and reported) by the comparison test
    evaluations.push(evaluated);
  };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // In a child process: vite sets NODE_ENV=production, which would turn off the server's introspection.
    execFileSync(process.execPath, [join(projectRoot(), 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'client/dashboard', '--logLevel', 'warn'], {
      cwd: projectRoot(),
      stdio: 'inherit',
    });
    server = await startTestServer({ backend: 'auto', maxConcurrentRuns: 3 });
    datasetId = (await gqlData<{ datasets: { id: string; name: string }[] }>(server, '{ datasets { id name } }')).datasets.find((d) => d.name === 'apple2orange-32')!.id;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a CycleGAN started from the form trains live on its page: the loss chart gains points without reload, the sample grid shows PNGs', async () => {
    // The comparison partner trains beside it, from the API.
    partnerRun = await startCycleGan(server, { ...TINY_CYCLEGAN, datasetId, epochs: 2, seed: 12, tags: ['dash-partner'] });
    evaluateInBackground(partnerRun);

    await page.goto(`${server.url}/`);
    await page.locator('details.start-run summary').click();
    await page.locator('#start-epochs').waitFor();
    assert.equal(await page.locator('#start-ngf').inputValue(), '64', 'the form shows the API default');
    const fields: Record<string, string> = { epochs: '4', imageSize: '16', ngf: '4', nBlocks: '1', ndf: '4', nLayers: '2', maxTrainImages: '4', ssimImages: '4', sampleImages: '2', checkpointEvery: '2', seed: '11', tags: 'dash-live' };
    for (const [name, value] of Object.entries(fields)) await page.locator(`#start-${name}`).fill(value);
    await shot(page, 'dashboard-start-form');
    await page.getByRole('button', { name: 'Start CycleGAN' }).click();
    await page.waitForURL(/#\/runs\/run_/);
    liveRun = decodeURIComponent(new URL(page.url()).hash.slice('#/runs/'.length));
    evaluateInBackground(liveRun);

    // A marker that a reload would wipe out.
    await page.evaluate(() => Object.assign(window, { dashboardTestMarker: 'no reload' }));
    await page.waitForFunction(() => Number(document.querySelector('figure.chart')?.getAttribute('data-points')) >= 1, null, { timeout: TRAINING_TIMEOUT_MS });
    const first = await chartPoints(page, 'Losses');
    await page.waitForFunction((n) => Number(document.querySelector('figure.chart')?.getAttribute('data-points')) > n, first, { timeout: TRAINING_TIMEOUT_MS });
    assert.equal(await page.evaluate(() => (window as unknown as { dashboardTestMarker?: string }).dashboardTestMarker), 'no reload');
    await page.locator('.run-status [data-status="SUCCEEDED"]').waitFor({ timeout: TRAINING_TIMEOUT_MS });
    assert.equal(await page.evaluate(() => (window as unknown as { dashboardTestMarker?: string }).dashboardTestMarker), 'no reload');

    assert.equal(await chartPoints(page, 'Losses'), 4, 'every epoch plotted');
    assert.equal(await chartPoints(page, 'SSIM'), 4);
    const legend = await page.locator('figure.chart', { hasText: 'Losses' }).locator('.u-legend .u-series').allInnerTexts();
    assert.ok(legend.length >= 5, `one legend entry per loss plus the epoch (${legend.join(' | ')})`);
    assert.ok((await page.locator('table.checkpoints tbody tr').count()) >= 2, 'checkpoints listed');
    assert.match(await page.locator('pre.config').innerText(), /"ngf": 4/);

    // The grid of the latest epoch: 2 images per domain x real/fake/rec/idt, all decoded.
    const grid = page.locator('.sample-table[data-epoch="4"]');
    await grid.waitFor();
    await page.waitForFunction(() => {
      const images = Array.from(document.querySelectorAll<HTMLImageElement>('.sample-table img'));
      return images.length === 16 && images.every((img) => img.complete && img.naturalWidth > 0);
    }, null, { timeout: 10_000 });
    assert.equal(await page.locator('.sample-table img').evaluateAll((imgs) => (imgs as HTMLImageElement[]).filter((i) => i.naturalWidth === 16).length), 16);
    await shot(page, 'dashboard-run-live');

    // The slider goes back to the first epoch's samples.
    await page.locator('.samples input[type="range"]').fill('0');
    await page.locator('.sample-table[data-epoch="1"]').waitFor();
    assert.match(await page.locator('.slider-label').innerText(), /epoch 1 \(1 of 4\)/);
  });

  test('a run on a dataset with a corrupt image fails and shows its error, on its page and in the list', async () => {
    const root = datasetWithCorruptImage();
    const { registerDataset } = await gqlData<{ registerDataset: { id: string } }>(server, 'mutation($i: RegisterDatasetInput!) { registerDataset(input: $i) { id } }', {
      i: { name: 'corrupt', root },
    });
    const failing = await startCycleGan(server, { ...TINY_CYCLEGAN, datasetId: registerDataset.id, epochs: 1, seed: 3, tags: ['dash-failing'] });
    const end = await waitForRunEnd(server, failing, TRAINING_TIMEOUT_MS);
    assert.equal(end.status, 'FAILED');
    assert.match(end.error ?? '', /000-corrupt\.png/);

    await page.goto(`${server.url}/#/runs/${failing}`);
    const alert = page.locator('.run-failed');
    await alert.waitFor();
    assert.match(await alert.innerText(), /This run failed[\s\S]*000-corrupt\.png/);
    assert.ok(await page.getByRole('button', { name: 'Resume' }).isVisible(), 'a failed run offers Resume');
    await shot(page, 'dashboard-run-failed');

    await page.goto(`${server.url}/#/runs?status=FAILED`);
    await page.locator(`tr[data-run-id="${failing}"]`).waitFor();
    assert.equal(await page.locator('table.runs-table tbody tr').count(), 1, 'the status filter keeps only the failed run');
    assert.match(await page.locator(`tr[data-run-id="${failing}"] .run-error-short`).innerText(), /000-corrupt\.png/);
    const rows = page.locator('table.runs-table tbody tr');
    await page.locator('select[name="kind"]').selectOption('CYCLEGAN');
    await page.locator('select[name="status"]').selectOption('');
    await page.waitForFunction(() => document.querySelectorAll('table.runs-table tbody tr').length === 3);
    assert.equal(new URL(page.url()).hash, '#/runs?kind=CYCLEGAN', 'the filters live in the URL');
    for (const id of [liveRun, partnerRun, failing]) assert.equal(await page.locator(`tr[data-run-id="${id}"]`).count(), 1);
    await page.locator('select[name="kind"]').selectOption('');
    await page.waitForFunction(() => document.querySelectorAll('table.runs-table tbody tr').length > 3);
    assert.ok((await rows.locator('td', { hasText: /^EVALUATION$/ }).count()) >= 1, 'the evaluation runs queued in the background are listed');
    await shot(page, 'dashboard-run-list');
  });

  test('the comparison page shows the paper-style table and SSIM box plots of two evaluated runs, and downloads them as CSV', async () => {
    assert.equal(evaluations.length, 2, 'both runs were started');
    for (const e of await Promise.all(evaluations)) assert.equal(e.status, 'SUCCEEDED', e.error ?? '');
    const { comparison } = await gqlData<{ comparison: ComparisonRow[] }>(server, 'query($ids: [ID!]!) { comparison(runIds: $ids) { runId metric value std } }', {
      ids: [liveRun, partnerRun],
    });

    await page.goto(`${server.url}/#/compare?ids=${liveRun},${partnerRun}`);
    const table = page.locator('table.comparison-table');
    await table.waitFor();
    const lines = await table.locator('tbody tr').count();
    assert.equal(lines * 2, comparison.length, 'one line per metric x comparison x domain, one cell per run');
    const kid = comparison.find((r) => r.metric.startsWith('KID') && r.runId === liveRun)!;
    const kidLine = table.locator('tbody tr', { hasText: kid.metric }).first();
    assert.match(await kidLine.innerText(), /±/, 'KID with its std');
    assert.equal(await table.locator('thead th').nth(3).getAttribute('title'), liveRun, 'runs in the order given');

    const plots = page.locator('figure.box-plot');
    assert.ok((await plots.count()) >= 2, 'SSIM box plots per comparison and domain');
    for (const plot of await plots.all()) assert.equal(await plot.locator('g.box').count(), 2, 'one box per run');
    assert.equal(await plots.first().locator('g.box').first().getAttribute('data-n'), '8', 'a box over the 8 evaluated images');
    await shot(page, 'dashboard-compare');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a.csv-download').click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    assert.equal(csv[0], 'run_id,metric,extractor,comparison,domain,epoch,n,value,std,warning');
    assert.equal(csv.length - 1, comparison.length, 'one CSV line per comparison row');
    const first = csv[1].split(',');
    assert.equal(Number(first[7]), comparison[0].value, 'values at full precision');
  });

  test('with an API token set, the dashboard asks for it once; then queries, the WebSocket and sample PNGs use it', async () => {
    const token = 'dash-secret';
    const guarded = await startTestServer({ apiToken: token, backend: 'auto' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const guardedPage = await context.newPage();
      const refusedSocket = guardedPage.waitForEvent('websocket').then((socket) => socket.waitForEvent('close'));
      await guardedPage.goto(`${guarded.url}/#/runs`);
      await refusedSocket;
      assert.ok(await guardedPage.locator('#connection-banner').isHidden(), 'a refused socket is not a lost connection');
      await guardedPage.locator('input[aria-label="API token"]').fill(token);
      await shot(guardedPage, 'dashboard-token');
      await guardedPage.getByRole('button', { name: 'Use token' }).click();
      await guardedPage.getByText('No run matches.').waitFor();

      // The new run appears through runsChanged: the WebSocket was accepted with the token.
      const headers = { authorization: `Bearer ${token}` };
      const { data: datasets } = await gql<{ datasets: { id: string }[] }>(guarded, '{ datasets { id } }', {}, headers);
      const started = await gql<{ startCycleGan: { id: string } }>(guarded, 'mutation($i: CycleGanInput!) { startCycleGan(input: $i) { id } }', {
        i: { ...TINY_CYCLEGAN, datasetId: datasets!.datasets[0].id, epochs: 1, seed: 31 },
      }, headers);
      const id = started.data!.startCycleGan.id;
      await guardedPage.locator(`tr[data-run-id="${id}"]`).waitFor();
      await guardedPage.locator(`tr[data-run-id="${id}"] a`).first().click();
      await guardedPage.waitForFunction(() => {
        const images = Array.from(document.querySelectorAll<HTMLImageElement>('.sample-table img'));
        return images.length === 16 && images.every((img) => img.complete && img.naturalWidth > 0);
      }, null, { timeout: TRAINING_TIMEOUT_MS });
      assert.match((await guardedPage.locator('.sample-table img').first().getAttribute('src')) ?? '', /[?&]token=dash-secret/);
    } finally {
      await context.close();
      await guarded.close();
    }
  });

  test('a server restart: the banner says connection lost, then reconnected; the page re-reads the run, which resumes and cancels from its buttons', async () => {
    const long = await startCycleGan(server, { ...TINY_CYCLEGAN, datasetId, epochs: 200, checkpointEvery: 1, seed: 21, tags: ['dash-restart'] });
    await page.goto(`${server.url}/#/runs/${long}`);
    await page.waitForFunction(() => Number(document.querySelector('figure.chart')?.getAttribute('data-points')) >= 2, null, { timeout: TRAINING_TIMEOUT_MS });
    await page.evaluate(() => Object.assign(window, { dashboardTestMarker: 'no reload' }));

    const { dataDir } = server.config;
    const port = server.port;
    await server.close();
    const banner = page.locator('#connection-banner');
    await page.locator('#connection-banner[data-state="lost"]').waitFor();
    assert.match(await banner.innerText(), /lost/);
    await shot(page, 'dashboard-connection-lost');
    server = await startTestServer({ dataDir, port, backend: 'auto', maxConcurrentRuns: 3 });

    await page.locator('#connection-banner[data-state="reconnected"]').waitFor({ timeout: 30_000 });
    await page.locator('.run-status [data-status="INTERRUPTED"]').waitFor();
    const stoppedAt = await chartPoints(page, 'Losses');
    await page.waitForFunction(() => {
      const images = Array.from(document.querySelectorAll<HTMLImageElement>('.sample-table img'));
      return images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0) && !document.querySelector('.samples .error-box');
    }, null, { timeout: 10_000 });
    const stored = await gqlData<{ run: { epochs: { epoch: number }[] } }>(server, 'query($id: ID!) { run(id: $id) { epochs { epoch } } }', { id: long });
    assert.equal(stoppedAt, stored.run.epochs.length, 'the re-read shows every stored epoch');
    await shot(page, 'dashboard-reconnected');

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('.run-status [data-status="RUNNING"]').waitFor();
    await waitFor('an epoch after the resume', async () => ((await chartPoints(page, 'Losses')) > stoppedAt ? true : undefined), TRAINING_TIMEOUT_MS);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.run-status [data-status="CANCELLED"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { dashboardTestMarker?: string }).dashboardTestMarker), 'no reload');
    assert.deepEqual(pageErrors, [], 'no uncaught error in the page');
  });
});
