// Image loading: format conversions, resizing, corrupt files, the decoded-pixel cache.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { floatsToBytes, imagesToTensor, loadDomainImages } from '../src/training/data.js';
import { initBackend } from '../src/training/backend.js';
import { bundledDatasetRoot } from '../src/paths.js';

let root: string;

before(async () => {
  await initBackend('wasm');
  root = mkdtempSync(join(tmpdir(), 'lab-data-test-'));
  const dir = join(root, 'trainA');
  mkdirSync(dir);
  const solid = (channels: 1 | 3 | 4, background: object, size = 8): ReturnType<typeof sharp> =>
    sharp({ create: { width: size, height: size, channels: channels === 1 ? 3 : channels, background } });
  await solid(1, { r: 100, g: 100, b: 100 }).greyscale().png().toFile(join(dir, 'a-grey.png'));
  await solid(4, { r: 10, g: 20, b: 30, alpha: 0.5 }).png().toFile(join(dir, 'b-rgba.png'));
  await solid(3, { r: 200, g: 100, b: 50 }).toColourspace('rgb16').png().toFile(join(dir, 'c-16bit.png'));
  await solid(3, { r: 60, g: 120, b: 180 }).toColourspace('cmyk').jpeg({ quality: 100 }).toFile(join(dir, 'd-cmyk.jpg'));
  await solid(3, { r: 40, g: 80, b: 120 }, 20).png().toFile(join(dir, 'e-large.png'));
  writeFileSync(join(dir, 'notes.txt'), 'not an image');
});

after(() => rmSync(root, { recursive: true, force: true }));

const pixel = (pixels: Uint8Array, image: number, size: number): number[] =>
  Array.from(pixels.subarray(image * size * size * 3, image * size * size * 3 + 3));

test('grey, RGBA, 16-bit and CMYK files become 8-bit RGB at the requested size', async () => {
  const imgs = await loadDomainImages(root, 'trainA', 8);
  assert.deepEqual(imgs.names, ['a-grey.png', 'b-rgba.png', 'c-16bit.png', 'd-cmyk.jpg', 'e-large.png']);
  assert.equal(imgs.pixels.length, 5 * 8 * 8 * 3);
  assert.deepEqual(pixel(imgs.pixels, 0, 8), [100, 100, 100]);
  assert.deepEqual(pixel(imgs.pixels, 1, 8), [10, 20, 30], 'alpha is dropped, not composited');
  assert.deepEqual(pixel(imgs.pixels, 2, 8), [200, 100, 50]);
  // CMYK goes through ICC profiles both ways: close to the original, not exact.
  const cmyk = pixel(imgs.pixels, 3, 8);
  assert.ok([60, 120, 180].every((v, i) => Math.abs(cmyk[i] - v) <= 12), `CMYK (60,120,180) came out as ${cmyk}`);
  assert.deepEqual(pixel(imgs.pixels, 4, 8), [40, 80, 120], '20x20 solid image resized to 8x8');
  assert.deepEqual(imgs.skipped, []);
});

test('the bundled 32x32 PNGs load unchanged and maxImages keeps the first files by name', async () => {
  const imgs = await loadDomainImages(bundledDatasetRoot(), 'testA', 32, { maxImages: 3 });
  const all = readdirSync(join(bundledDatasetRoot(), 'testA')).sort();
  assert.deepEqual(imgs.names, all.slice(0, 3));
  const raw = await sharp(join(bundledDatasetRoot(), 'testA', all[1])).removeAlpha().raw().toBuffer();
  assert.deepEqual(Buffer.from(imgs.pixels.subarray(3072, 6144)), raw);
});

test('a corrupt file fails the load naming the file, or is skipped and counted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-bad-'));
  try {
    mkdirSync(join(dir, 'testB'));
    await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } }).png().toFile(join(dir, 'testB', 'good.png'));
    writeFileSync(join(dir, 'testB', 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\n garbage'));
    await assert.rejects(loadDomainImages(dir, 'testB', 4), (err: Error) => err.message.includes(join(dir, 'testB', 'broken.png')));
    const imgs = await loadDomainImages(dir, 'testB', 4, { onBadImage: 'skip' });
    assert.deepEqual(imgs.names, ['good.png']);
    assert.equal(imgs.skipped.length, 1);
    assert.equal(imgs.skipped[0].file, join(dir, 'testB', 'broken.png'));
    await assert.rejects(loadDomainImages(dir, 'testA', 4), /image folder not found: .*testA/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('decoded pixels are cached per dataset and size, and a changed file invalidates the cache', async () => {
  const cacheDir = join(root, 'cache');
  const first = await loadDomainImages(root, 'trainA', 8, { cacheDir });
  const bins = readdirSync(cacheDir).filter((f) => f.endsWith('.bin'));
  assert.equal(bins.length, 1);
  // Overwrite the cached pixels: a cached load must return them, proving it did not decode.
  writeFileSync(join(cacheDir, bins[0]), Buffer.alloc(first.pixels.length, 7));
  const cached = await loadDomainImages(root, 'trainA', 8, { cacheDir, maxImages: 2 });
  assert.deepEqual(cached.names, first.names.slice(0, 2));
  assert.ok(cached.pixels.every((v) => v === 7));
  await loadDomainImages(root, 'trainA', 16, { cacheDir });
  assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.bin')).length, 2, 'another size gets its own cache');
  const later = new Date(Date.now() + 5000);
  utimesSync(join(root, 'trainA', 'a-grey.png'), later, later);
  const fresh = await loadDomainImages(root, 'trainA', 8, { cacheDir });
  assert.deepEqual(fresh.pixels, first.pixels);
});

test('pixels become [-1, 1] tensors, optionally mirrored, and back', async () => {
  const imgs = await loadDomainImages(root, 'trainA', 8);
  const pixels = new Uint8Array(2 * 2 * 3).map((_, i) => i * 20);
  const tiny = { names: ['x'], size: 2, pixels, skipped: [] };
  const t = imagesToTensor(tiny, [0, 0], [false, true]);
  const v = await t.data();
  t.dispose();
  assert.deepEqual(t.shape, [2, 2, 2, 3]);
  assert.equal(v[0], -1);
  assert.ok(Math.abs(v[3] - (60 / 127.5 - 1)) < 1e-6);
  // Mirrored copy: pixel (0,0) of image 2 is pixel (0,1) of the original.
  assert.deepEqual(Array.from(v.subarray(12, 15)), Array.from(v.subarray(3, 6)));
  assert.deepEqual(floatsToBytes(v.subarray(0, 12)), pixels);
  assert.equal(imgs.names.length, 5);
});
