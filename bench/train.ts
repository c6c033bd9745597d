// npm run bench:train [-- --steps N --skip-cpu --full-cpu]
// Median wall-clock ms of one generator training step (forward, backward, Adam) and one
// full CycleGAN iteration (both generators and discriminators, image pools), batch 1,
// 32x32, 3 residual blocks, discriminator ndf = ngf, at ngf 64 (the paper) and ngf 16, on
// every installed backend.
// The pure-JS cpu backend is ~100x slower: by default it times one step, and its ngf-64
// CycleGAN iteration (minutes) only with --full-cpu.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/training/backend.js';
import { Adam } from '../src/training/adam.js';
import { cycleGanConfig } from '../src/training/configs.js';
import { CycleGanTrainer } from '../src/training/cyclegan-trainer.js';
import { imagesToTensor, loadDomainImages } from '../src/training/data.js';
import { l1Loss } from '../src/training/losses.js';
import { buildResnetGenerator } from '../src/training/networks/resnet-generator.js';
import { initWeights } from '../src/training/networks/init-weights.js';
import { recordingContext } from '../src/training/recording-context.js';
import { Rng } from '../src/training/rng.js';
import type { BackendName } from '../src/training/protocol.js';
import { bundledDatasetRoot } from '../src/paths.js';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const STEPS = option('--steps', 10);
const SIZE = 32;
const BLOCKS = 3;
const dataset = { id: 'bench', name: 'apple2orange-32', root: bundledDatasetRoot() };

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Timing {
  /** Median wall-clock ms. */
  wall: number;
  /** Median CPU ms of this process: steadier than wall time on a shared machine. */
  cpu: number;
}

/** Runs `step` `warmup` times untimed, then `n` times timed. */
function time(step: () => void, n: number, warmup: number): Timing {
  for (let i = 0; i < warmup; i++) step();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    step();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const show = (t: Timing | null): string => (t === null ? 'skipped (--full-cpu)' : `${t.wall.toFixed(0)} (cpu ${t.cpu.toFixed(0)})`);

async function generatorStep(ngf: number, n: number, warmup: number): Promise<Timing> {
  const g = buildResnetGenerator({ ngf, nBlocks: BLOCKS }, SIZE, 'bench_g');
  initWeights(g, new Rng(1));
  const vars = g.trainableWeights.map((w) => w.read() as tf.Variable);
  const adam = new Adam(vars, { beta1: 0.5, beta2: 0.999, epsilon: 1e-8 });
  const images = await loadDomainImages(dataset.root, 'trainA', SIZE, { maxImages: 2 });
  const x = imagesToTensor(images, [0]);
  const y = imagesToTensor(images, [1]);
  const ms = time(
    () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => l1Loss(g.apply(x) as tf.Tensor, y), vars);
        adam.apply(vars.map((v) => grads[v.name]), 2e-4);
        value.dataSync();
      }),
    n,
    warmup,
  );
  tf.dispose([x, y]);
  adam.dispose();
  g.dispose();
  return ms;
}

async function cycleGanIteration(backend: BackendName, ngf: number, n: number, warmup: number): Promise<Timing> {
  const config = cycleGanConfig(dataset, { generator: { ngf, nBlocks: BLOCKS }, discriminator: { ndf: ngf, nLayers: 3 }, maxTrainImages: 16, ssimImages: 0, sampleImages: 0 });
  const ctx = recordingContext({ runId: 'bench', config, backend, runDir: '/nonexistent', resumeFrom: null }, backend);
  const trainer = await CycleGanTrainer.create(ctx);
  trainer.startEpoch(1);
  const ms = time(() => trainer.trainIteration(), n, warmup);
  trainer.dispose();
  return ms;
}

async function installedBackends(): Promise<BackendName[]> {
  const found: BackendName[] = [];
  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    if (name === 'cpu' && flag('--skip-cpu')) continue;
    try {
      await initBackend(name);
      found.push(name);
    } catch (err) {
      console.log(`${name}: not available (${(err as Error).message.split(';')[0]})`);
    }
  }
  return found;
}

const rows: string[][] = [['backend', 'ngf', 'generator step (ms)', 'CycleGAN iteration (ms)', 'timed steps']];
for (const backend of await installedBackends()) {
  await initBackend(backend);
  const slow = backend === 'cpu';
  const n = slow ? 1 : STEPS;
  const warmup = slow ? 0 : 2;
  for (const ngf of [64, 16]) {
    const g = await generatorStep(ngf, n, warmup);
    const skipCycle = slow && ngf === 64 && !flag('--full-cpu');
    const c = skipCycle ? null : await cycleGanIteration(backend, ngf, n, warmup);
    rows.push([backend, String(ngf), show(g), show(c), String(n)]);
    console.log(`${backend} ngf ${ngf}: generator step ${show(g)} ms, CycleGAN iteration ${show(c)} ms`);
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
console.log(`\nms per step, wall clock (process CPU time); batch 1, ${SIZE}x${SIZE}, ${BLOCKS} residual blocks, PatchGAN ndf = ngf (3 layers);`);
console.log('median of the timed steps after 2 warm-ups (cpu backend: one step, no warm-up)');
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
