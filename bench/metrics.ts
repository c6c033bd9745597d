// npm run bench:metrics — speed of the metrics on this machine, medians over a few repetitions:
// SSIM per 32x32 RGB pair, Fréchet distance and KID at 2048-d for 500 samples per set, and
// ResNet50 features per image on the active TF.js backend (LAB_BACKEND, default auto).
import * as tf from '@tensorflow/tfjs';
import { loadResnet50Extractor } from '../src/metrics/extractors/resnet50.js';
import type { FeatureMatrix } from '../src/metrics/features.js';
import { frechetDistance } from '../src/metrics/frechet.js';
import { kernelInceptionDistance } from '../src/metrics/kid.js';
import { ssim } from '../src/metrics/ssim.js';
import { initBackend } from '../src/training/backend.js';
import type { BackendChoice } from '../src/training/protocol.js';
import { Rng } from '../src/training/rng.js';

const rng = new Rng(1);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median seconds of `fn` over `reps` runs (after one warm-up run). */
async function time(reps: number, fn: () => unknown): Promise<number> {
  await fn();
  const runs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await fn();
    runs.push((performance.now() - t0) / 1000);
  }
  return median(runs);
}

/** Non-negative features like pooled ReLU activations. */
function features(rows: number, cols: number, shift: number): FeatureMatrix {
  return { data: Float32Array.from({ length: rows * cols }, () => Math.max(0, 0.5 + shift + 0.5 * rng.normal())), rows, cols };
}

const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => rng.int(256));

async function main(): Promise<void> {
  const rows: [string, string, string][] = [];
  const pair = { a: { data: bytes(32 * 32 * 3), height: 32, width: 32, channels: 3 }, b: { data: bytes(32 * 32 * 3), height: 32, width: 32, channels: 3 } };
  const pairs = 1000;
  const ssimS = await time(5, () => {
    for (let i = 0; i < pairs; i++) ssim(pair.a, pair.b, { dataRange: 255 });
  });
  rows.push(['SSIM, one 32x32 RGB pair (uniform 7x7)', (ssimS * 1000 / pairs).toFixed(3), 'ms']);

  const f1 = features(500, 2048, 0);
  const f2 = features(500, 2048, 0.05);
  rows.push(['Fréchet distance, 2048-d, 500 vs 500 samples (target < 5 s)', (await time(3, () => frechetDistance(f1, f2))).toFixed(2), 's']);
  const kidOptions = { subsetSize: 100, subsets: 100, seed: 1 };
  rows.push(['KID, 2048-d, 500 vs 500, 100 subsets of 100', (await time(3, () => kernelInceptionDistance(f1, f2, kidOptions))).toFixed(2), 's']);

  const backend = await initBackend((process.env.LAB_BACKEND ?? 'auto') as BackendChoice);
  const extractor = await loadResnet50Extractor();
  const n = 8;
  const images = { pixels: bytes(n * 32 * 32 * 3), count: n, height: 32, width: 32 };
  const perImage = (await time(3, () => extractor.extract(images, { batchSize: n }))) / n;
  extractor.dispose();
  rows.push([`ResNet50 features per image, batch ${n}, backend ${backend} (tfjs ${tf.version.tfjs})`, perImage.toFixed(3), 's']);

  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'measure'.padEnd(w)} | median | unit`);
  console.log(`${'-'.repeat(w)}-|--------|-----`);
  for (const [label, value, unit] of rows) console.log(`${label.padEnd(w)} | ${value.padStart(6)} | ${unit}`);
}

await main();
