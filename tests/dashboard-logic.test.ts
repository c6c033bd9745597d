// The dashboard's pure parts, without a browser: box-plot statistics (numpy's percentiles),
// axis ticks, CSV quoting, hash routes, the live merge of run events, chart series, the
// start form's parsing of API defaults and input, and the comparison table's pivot.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { boxStats, quantile } from '../client/dashboard/src/box-stats.js';
import { bestRun, comparisonCsv, pivotComparison, type ComparisonRow } from '../client/dashboard/src/comparison-rows.js';
import { toCsv } from '../client/dashboard/src/csv.js';
import { epochSeries } from '../client/dashboard/src/epoch-series.js';
import { describeField, parseFieldValue, type IntrospectedField } from '../client/dashboard/src/input-fields.js';
import { niceScale } from '../client/dashboard/src/nice-scale.js';
import { parseRoute, routeHash } from '../client/dashboard/src/route.js';
import { applyRunEvent, mergeByEpoch, type RunDetail, type RunEvent } from '../client/dashboard/src/run-state.js';

describe('box statistics', () => {
  test('quartiles equal numpy.percentile (linear interpolation)', () => {
    // np.percentile([1, 2, 3, 4], [25, 50, 75]) == [1.75, 2.5, 3.25]
    assert.deepEqual([0.25, 0.5, 0.75].map((q) => quantile([1, 2, 3, 4], q)), [1.75, 2.5, 3.25]);
    assert.equal(quantile([7], 0.25), 7);
  });

  test('Tukey whiskers stop at the last point within 1.5 IQR; the rest are outliers', () => {
    const stats = boxStats([100, 3, 1, 4, 2])!;
    assert.deepEqual(
      { q1: stats.q1, median: stats.median, q3: stats.q3, low: stats.whiskerLow, high: stats.whiskerHigh, outliers: stats.outliers, mean: stats.mean, n: stats.n },
      { q1: 2, median: 3, q3: 4, low: 1, high: 4, outliers: [100], mean: 22, n: 5 },
    );
    assert.equal(boxStats([]), null);
  });
});

test('axis ticks are round steps covering the data', () => {
  assert.deepEqual(niceScale(0.0047, 0.0797), { low: 0, high: 0.08, ticks: [0, 0.02, 0.04, 0.06, 0.08] });
  assert.deepEqual(niceScale(0, 0.08).ticks, [0, 0.02, 0.04, 0.06, 0.08]);
  assert.deepEqual(niceScale(-0.0336, 0.0617).ticks, [-0.05, -0.025, 0, 0.025, 0.05, 0.075]);
  assert.deepEqual(niceScale(0.5, 0.5), { low: 0.4, high: 0.6, ticks: [0.4, 0.6] }, 'one value gets an axis around it');
});

test('CSV quotes commas, quotes and line breaks, and writes null as empty', () => {
  assert.equal(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [1.5, null], ['two\nlines', undefined]]), 'a,b\r\n"x,y","say ""hi"""\r\n1.5,\r\n"two\nlines",\r\n');
});

describe('hash routes', () => {
  test('parse the three pages, drop unknown filter values and duplicate ids', () => {
    assert.deepEqual(parseRoute(''), { page: 'runs', filter: {} });
    assert.deepEqual(parseRoute('#/runs?kind=AE&status=NOPE&tag=%20baseline%20'), { page: 'runs', filter: { kind: 'AE', tag: 'baseline' } });
    assert.deepEqual(parseRoute('#/runs/run_abc'), { page: 'run', id: 'run_abc' });
    assert.deepEqual(parseRoute('#/compare?ids=run_a,run_b,run_a,'), { page: 'compare', ids: ['run_a', 'run_b'] });
  });

  test('format what they parse', () => {
    for (const hash of ['#/runs', '#/runs?kind=CYCLEGAN&status=FAILED&tag=x', '#/runs/run_1', '#/compare', '#/compare?ids=run_a,run_b']) {
      assert.equal(routeHash(parseRoute(hash)), hash);
    }
  });
});

describe('live run state', () => {
  const epoch = (n: number, loss: number) => ({ epoch: n, lr: 2e-4, durationMs: 10, losses: [{ name: 'G_A', value: loss }], ssim: [] });
  const run = (epochs: ReturnType<typeof epoch>[]): RunDetail => ({
    id: 'run_1',
    kind: 'CYCLEGAN',
    status: 'RUNNING',
    backend: 'wasm',
    seed: 1,
    config: {},
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    error: null,
    tags: [],
    dataset: { id: 'ds', name: 'd' },
    progress: { epoch: 3, epochsTotal: 5, iteration: 1, iterationsPerEpoch: 4, etaSeconds: 9 },
    epochs,
    sampleEpochs: [1],
    checkpoints: [],
    initFrom: null,
    sourceRun: null,
    evaluationRuns: [],
  });
  const event = (patch: Partial<RunEvent> & Pick<RunEvent, 'type'>): RunEvent => ({
    runId: 'run_1',
    epoch: null,
    status: null,
    error: null,
    progress: null,
    summary: null,
    checkpoint: null,
    ...patch,
  });

  test('merge by epoch: later rows replace earlier ones, sorted', () => {
    assert.deepEqual(mergeByEpoch([epoch(2, 1), epoch(1, 1)], [epoch(2, 5), epoch(3, 1)]), [epoch(1, 1), epoch(2, 5), epoch(3, 1)]);
  });

  test('the next epoch appends without a re-read; a gap asks for one', () => {
    const next = applyRunEvent(run([epoch(1, 1), epoch(2, 1)]), event({ type: 'EPOCH', epoch: 3, summary: epoch(3, 0.5) }));
    assert.deepEqual(next.run.epochs.map((e) => e.epoch), [1, 2, 3]);
    assert.equal(next.reread, false);
    const gap = applyRunEvent(run([epoch(1, 1)]), event({ type: 'EPOCH', epoch: 3, summary: epoch(3, 0.5) }));
    assert.equal(gap.reread, true, 'epoch 2 was missed');
    const again = applyRunEvent(next.run, event({ type: 'EPOCH', epoch: 3, summary: epoch(3, 0.5) }));
    assert.deepEqual(again.run.epochs, next.run.epochs, 'a repeated event changes nothing');
  });

  test('a failed status carries its error and ends the progress; samples add their epoch once', () => {
    const failed = applyRunEvent(run([]), event({ type: 'STATUS', status: 'FAILED', error: 'cannot read image x.png' }));
    assert.equal(failed.run.status, 'FAILED');
    assert.equal(failed.run.error, 'cannot read image x.png');
    assert.equal(failed.run.progress, null);
    assert.equal(failed.reread, true);
    const sampled = applyRunEvent(applyRunEvent(run([]), event({ type: 'SAMPLE', epoch: 3 })).run, event({ type: 'SAMPLE', epoch: 3 }));
    assert.deepEqual(sampled.run.sampleEpochs, [1, 3]);
  });
});

test('chart series: one per name, aligned on epochs, null where an epoch lacks the name', () => {
  const rows = [
    { epoch: 1, values: [{ name: 'rec', value: 2 }] },
    { epoch: 2, values: [{ name: 'rec', value: 1 }, { name: 'kl', value: 0.5 }] },
  ];
  assert.deepEqual(epochSeries(rows, (r) => r.values), {
    epochs: [1, 2],
    series: [
      { name: 'rec', values: [2, 1] },
      { name: 'kl', values: [null, 0.5] },
    ],
  });
});

describe('start form fields from introspection', () => {
  const field = (name: string, type: IntrospectedField['type'], defaultValue: string | null): IntrospectedField => ({ name, description: null, defaultValue, type });
  const nonNull = (name: string, kind: 'SCALAR' | 'ENUM' | 'LIST', enumValues: string[] | null = null): IntrospectedField['type'] => ({
    kind: 'NON_NULL',
    name: null,
    enumValues: null,
    ofType: { kind, name, enumValues: enumValues?.map((v) => ({ name: v })) ?? null },
  });

  test('types and defaults as the form shows them', () => {
    const epochs = describeField(field('epochs', nonNull('Int', 'SCALAR'), '15'));
    assert.deepEqual(epochs, { name: 'epochs', description: null, type: 'Int', enumValues: [], required: false, defaultText: '15' });
    assert.equal(describeField(field('datasetId', nonNull('ID', 'SCALAR'), null)).required, true);
    assert.equal(describeField(field('tags', { ...nonNull('', 'LIST') }, '[]')).defaultText, '');
    const policy = describeField(field('onBadImage', nonNull('BadImagePolicy', 'ENUM', ['FAIL', 'SKIP']), 'FAIL'));
    assert.deepEqual([policy.type, policy.enumValues, policy.defaultText], ['enum', ['FAIL', 'SKIP'], 'FAIL']);
    const seed = describeField(field('seed', { kind: 'SCALAR', name: 'Int', enumValues: null, ofType: null }, null));
    assert.deepEqual([seed.type, seed.required], ['Int', false]);
  });

  test('parsing names the field and leaves empty optional fields to the API', () => {
    const ngf = describeField(field('ngf', nonNull('Int', 'SCALAR'), '64'));
    assert.deepEqual(parseFieldValue(ngf, ' 4 '), { value: 4 });
    assert.deepEqual(parseFieldValue(ngf, '4.5'), { error: 'ngf must be a whole number (got "4.5")' });
    assert.deepEqual(parseFieldValue(ngf, ''), { omit: true });
    const lr = describeField(field('learningRate', nonNull('Float', 'SCALAR'), '0.0002'));
    assert.deepEqual(parseFieldValue(lr, '2e-4'), { value: 0.0002 });
    assert.deepEqual(parseFieldValue(lr, 'fast'), { error: 'learningRate must be a number (got "fast")' });
    const datasetId = describeField(field('datasetId', nonNull('ID', 'SCALAR'), null));
    assert.deepEqual(parseFieldValue(datasetId, ''), { error: 'datasetId is required' });
    const tags = describeField(field('tags', nonNull('', 'LIST'), '[]'));
    assert.deepEqual(parseFieldValue(tags, 'baseline, ae-init,'), { value: ['baseline', 'ae-init'] });
    const kind = describeField(field('kind', nonNull('PretrainKind', 'ENUM', ['AE', 'VAE']), 'AE'));
    assert.deepEqual(parseFieldValue(kind, 'GAN'), { error: 'kind must be one of AE, VAE' });
  });
});

describe('comparison table', () => {
  const row = (runId: string, metric: string, value: number, domain: 'A' | 'B' = 'A'): ComparisonRow => ({
    runId,
    metric,
    comparison: 'REAL_VS_FAKE',
    domain,
    epoch: 4,
    value,
    std: metric.startsWith('KID') ? 0.1 : null,
    n: 8,
    extractor: metric === 'SSIM' ? null : 'resnet50-imagenet',
    warning: metric.startsWith('FD') ? 'FD at n=8, compare only at equal n' : null,
  });
  const rows = [row('a', 'FD-ResNet50', 2122), row('b', 'FD-ResNet50', 2089), row('a', 'SSIM', 0.02), row('b', 'SSIM', 0.03), row('a', 'SSIM', 0.04, 'B')];

  test('pivots to one line per metric, comparison and domain with a cell per run', () => {
    const lines = pivotComparison(rows);
    assert.deepEqual(lines.map((l) => [l.metric, l.domain, [...l.cells.keys()]]), [
      ['FD-ResNet50', 'A', ['a', 'b']],
      ['SSIM', 'A', ['a', 'b']],
      ['SSIM', 'B', ['a']],
    ]);
    assert.deepEqual(lines.map(bestRun), ['b', 'b', null], 'lower FD and higher SSIM are better; one value has no best');
  });

  test('CSV keeps every row at full precision', () => {
    const csv = comparisonCsv(rows).split('\r\n');
    assert.equal(csv[0], 'run_id,metric,extractor,comparison,domain,epoch,n,value,std,warning');
    assert.equal(csv[1], 'a,FD-ResNet50,resnet50-imagenet,REAL_VS_FAKE,A,4,8,2122,,"FD at n=8, compare only at equal n"');
    assert.equal(csv.length, rows.length + 2, 'header, rows, and the final line break');
  });
});
