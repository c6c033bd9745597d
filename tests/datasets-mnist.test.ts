import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { materialiseMnistDigits } from '../src/datasets/mnist-digits.js';

test('MNIST digits 3 vs 8 become a 32x32 RGB dataset with the four splits, digit pixels centred', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'mnist-'));
  try {
    const root = await materialiseMnistDigits(parent);
    const counts = Object.fromEntries(['trainA', 'trainB', 'testA', 'testB'].map((s) => [s, readdirSync(join(root, s)).length]));
    // The package ships about 1,000 images per digit; 20% of each go to test.
    assert.ok(counts.trainA > 700 && counts.testA > 150, JSON.stringify(counts));
    assert.ok(Math.abs(counts.testA / (counts.trainA + counts.testA) - 0.2) < 0.01);
    const file = join(root, 'trainB', readdirSync(join(root, 'trainB'))[0]);
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [32, 32, 3]);
    // Grey replicated to RGB; the 2 px padding border is black, the centre holds ink.
    for (let i = 0; i < data.length; i += 3) assert.ok(data[i] === data[i + 1] && data[i] === data[i + 2]);
    const at = (x: number, y: number) => data[(y * 32 + x) * 3];
    for (let k = 0; k < 32; k++) assert.equal(at(k, 0) + at(0, k) + at(k, 31) + at(31, k), 0);
    assert.ok(Math.max(...data) > 200, 'the digit has bright strokes');
    // Second call reuses the folder.
    assert.equal(await materialiseMnistDigits(parent), root);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
