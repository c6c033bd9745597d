import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ssim, type SsimImage } from '../src/metrics/ssim.js';
import { sharedDir } from '../src/paths.js';

interface SsimCase {
  name: string;
  shape: number[];
  data_range: number;
  im1: number[];
  im2: number[];
  ssim_default: number;
  ssim_gaussian_wang: number;
  analytic?: number;
}

const fixture = JSON.parse(readFileSync(join(sharedDir(), 'fixtures', 'ssim_fid_reference.json'), 'utf8')) as { ssim_cases: SsimCase[] };

function image(data: ArrayLike<number>, shape: number[]): SsimImage {
  return { data, height: shape[0], width: shape[1], channels: shape[2] ?? 1 };
}

test('fixture has SSIM cases', () => {
  assert.ok(fixture.ssim_cases.length >= 6);
});

for (const c of fixture.ssim_cases) {
  test(`SSIM equals scikit-image: ${c.name}`, () => {
    const a = image(c.im1, c.shape);
    const b = image(c.im2, c.shape);
    const def = ssim(a, b, { dataRange: c.data_range });
    const gauss = ssim(a, b, { dataRange: c.data_range, gaussian: true });
    assert.ok(Math.abs(def - c.ssim_default) < 1e-6, `default ${def} vs ${c.ssim_default}`);
    assert.ok(Math.abs(gauss - c.ssim_gaussian_wang) < 1e-6, `gaussian ${gauss} vs ${c.ssim_gaussian_wang}`);
    if (c.analytic !== undefined) assert.ok(Math.abs(def - c.analytic) < 1e-9);
  });
}

test('SSIM is symmetric and accepts typed arrays', () => {
  const c = fixture.ssim_cases[0];
  const a = image(Uint8Array.from(c.im1), c.shape);
  const b = image(Float32Array.from(c.im2), c.shape);
  assert.ok(Math.abs(ssim(a, b, { dataRange: 255 }) - ssim(b, a, { dataRange: 255 })) < 1e-12);
});

test('SSIM rejects bad input with clear errors', () => {
  const small = image(new Float64Array(6 * 6), [6, 6]);
  assert.throws(() => ssim(small, small, { dataRange: 1 }), /smaller than the 7x7 uniform window/);
  const ten = image(new Float64Array(10 * 10), [10, 10]);
  assert.doesNotThrow(() => ssim(ten, ten, { dataRange: 1 }));
  assert.throws(() => ssim(ten, ten, { dataRange: 1, gaussian: true }), /smaller than the 11x11 gaussian window/);
  const other = image(new Float64Array(10 * 12), [10, 12]);
  assert.throws(() => ssim(ten, other, { dataRange: 1 }), /differ in shape/);
  const withNan = image(new Float64Array(100).fill(0.5), [10, 10]);
  (withNan.data as Float64Array)[17] = NaN;
  assert.throws(() => ssim(ten, withNan, { dataRange: 1 }), /b\.data contains NaN at pixel 17/);
  assert.throws(() => ssim(ten, ten, {} as never), /options\.dataRange is required/);
  assert.throws(() => ssim(ten, ten, { dataRange: 0 }), /dataRange/);
  assert.throws(() => ssim(ten, ten, { dataRange: NaN }), /dataRange/);
  assert.throws(() => ssim(ten, { ...ten, data: new Float64Array(99) }, { dataRange: 1 }), /b\.data has 99 values/);
});

test('SSIM of a 32x32 RGB pair is fast (< 5 ms on average, about 0.4 ms measured)', () => {
  const c = fixture.ssim_cases[0];
  const a = image(Uint8Array.from(c.im1), c.shape);
  const b = image(Uint8Array.from(c.im2), c.shape);
  for (let i = 0; i < 20; i++) ssim(a, b, { dataRange: 255 });
  const reps = 200;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) ssim(a, b, { dataRange: 255 });
  const ms = (performance.now() - t0) / reps;
  assert.ok(ms < 5, `${ms} ms per pair`);
});
